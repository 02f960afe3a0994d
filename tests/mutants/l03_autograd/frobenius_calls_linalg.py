"""frobenius hands the work to torch.linalg.matrix_norm."""

import torch

CAUGHT_BY = ["test_frobenius_of_ones_4_by_9_is_6_without_torch_norm"]


def frobenius(M):
    return torch.linalg.matrix_norm(M)
