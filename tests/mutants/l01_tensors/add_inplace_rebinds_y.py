"""add_inplace writes Y = Y + X: a new tensor bound to a local name; the caller's Y is unchanged."""

CAUGHT_BY = ["test_add_inplace_updates_y_in_its_own_memory"]


def add_inplace(Y, X):
    Y = Y + X
    return Y
