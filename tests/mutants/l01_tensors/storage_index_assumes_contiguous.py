"""storage_index uses the strides of a contiguous tensor of t's shape, not t.stride()."""

CAUGHT_BY = ["test_storage_index_matches_storage_offset_on_300_random_views"]


def storage_index(t, index):
    strides = contiguous_strides(tuple(t.shape))
    return t.storage_offset() + sum(
        (i + size if i < 0 else i) * stride for i, size, stride in zip(index, t.shape, strides)
    )
