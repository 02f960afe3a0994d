"""transpose_view swaps the sizes but keeps the strides: a reshape, not a transpose."""

CAUGHT_BY = [
    "test_transpose_view_gives_the_books_strides_1_2_and_1_5_20",
    "test_transpose_view_matches_torch_transpose_without_calling_it",
    "test_transpose_view_shares_storage_even_with_sliced_inputs",
]


def transpose_view(t, dim0, dim1):
    size = list(t.shape)
    size[dim0], size[dim1] = size[dim1], size[dim0]
    return t.as_strided(size, contiguous_strides(tuple(size)), t.storage_offset())
