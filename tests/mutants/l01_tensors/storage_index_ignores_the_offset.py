"""storage_index starts at 0 instead of t.storage_offset(): wrong for slices and selected rows."""

CAUGHT_BY = ["test_storage_index_matches_storage_offset_on_300_random_views"]


def storage_index(t, index):
    return sum((i + size if i < 0 else i) * stride for i, size, stride in zip(index, t.shape, t.stride()))
