"""broadcast_shape takes the larger size everywhere and never checks compatibility."""

CAUGHT_BY = ["test_broadcast_shape_raises_value_error_naming_the_clashing_sizes"]


def broadcast_shape(a, b):
    n = max(len(a), len(b))
    a, b = (1,) * (n - len(a)) + tuple(a), (1,) * (n - len(b)) + tuple(b)
    return tuple(max(x, y) for x, y in zip(a, b))
