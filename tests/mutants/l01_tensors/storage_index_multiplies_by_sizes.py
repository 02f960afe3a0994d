"""storage_index multiplies each index by the dimension's size instead of its stride."""

CAUGHT_BY = [
    "test_storage_index_finds_the_books_points_1_at_position_2",
    "test_storage_index_matches_storage_offset_on_300_random_views",
]


def storage_index(t, index):
    return t.storage_offset() + sum((i + size if i < 0 else i) * size for i, size in zip(index, t.shape))
