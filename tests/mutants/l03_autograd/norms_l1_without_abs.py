"""norms sums v for the L1 norm without taking absolute values."""

CAUGHT_BY = ["test_norms_give_l1_and_l2_without_torch_norm"]


def norms(v):
    return v.sum(), (v**2).sum().sqrt()
