"""broadcast_shape pads the shorter shape on the right (aligns the leading dimensions)."""

CAUGHT_BY = [
    "test_broadcast_shape_matches_torch_on_200_random_pairs",
    "test_broadcast_shape_raises_value_error_naming_the_clashing_sizes",
]


def broadcast_shape(a, b):
    n = max(len(a), len(b))
    a, b = tuple(a) + (1,) * (n - len(a)), tuple(b) + (1,) * (n - len(b))
    result = []
    for x, y in zip(a, b):
        if x != y and x != 1 and y != 1:
            raise ValueError(f"sizes {x} and {y} clash")
        result.append(max(x, y))
    return tuple(result)
