"""storage_index multiplies a negative index as it is instead of counting from the end."""

CAUGHT_BY = [
    "test_storage_index_finds_the_books_points_1_at_position_2",
    "test_storage_index_matches_storage_offset_on_300_random_views",
]


def storage_index(t, index):
    return t.storage_offset() + sum(i * stride for i, stride in zip(index, t.stride()))
