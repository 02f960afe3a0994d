"""broadcast_shape raises ValueError("shapes do not broadcast") without saying which sizes clash."""

CAUGHT_BY = ["test_broadcast_shape_raises_value_error_naming_the_clashing_sizes"]


def broadcast_shape(a, b):
    n = max(len(a), len(b))
    a, b = (1,) * (n - len(a)) + tuple(a), (1,) * (n - len(b)) + tuple(b)
    if any(x != y and 1 not in (x, y) for x, y in zip(a, b)):
        raise ValueError("shapes do not broadcast")
    return tuple(max(x, y) for x, y in zip(a, b))
