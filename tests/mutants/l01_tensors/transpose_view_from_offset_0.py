"""transpose_view passes storage_offset=0 to as_strided: wrong for views that start later in the storage."""

CAUGHT_BY = ["test_transpose_view_shares_storage_even_with_sliced_inputs"]


def transpose_view(t, dim0, dim1):
    size, stride = list(t.shape), list(t.stride())
    size[dim0], size[dim1] = size[dim1], size[dim0]
    stride[dim0], stride[dim1] = stride[dim1], stride[dim0]
    return t.as_strided(size, stride, 0)
