"""frobenius returns the sum of squares and forgets the square root (36 for ones(4, 9))."""

CAUGHT_BY = ["test_frobenius_of_ones_4_by_9_is_6_without_torch_norm"]


def frobenius(M):
    return (M**2).sum()
