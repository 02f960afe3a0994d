"""transpose_view uses the .mT property (a transpose by another name) when the
last two dims are swapped, and as_strided otherwise."""

CAUGHT_BY = ["test_transpose_view_matches_torch_transpose_without_calling_it"]


def transpose_view(t, dim0, dim1):
    if dim0 != dim1 and {dim0 % t.dim(), dim1 % t.dim()} == {t.dim() - 2, t.dim() - 1}:
        return t.mT
    size, stride = list(t.shape), list(t.stride())
    size[dim0], size[dim1] = size[dim1], size[dim0]
    stride[dim0], stride[dim1] = stride[dim1], stride[dim0]
    return t.as_strided(size, stride, t.storage_offset())
