"""add_inplace sets Y.data = Y + X: the caller sees the sum, but in newly allocated memory."""

CAUGHT_BY = ["test_add_inplace_updates_y_in_its_own_memory"]


def add_inplace(Y, X):
    Y.data = Y + X
    return Y
