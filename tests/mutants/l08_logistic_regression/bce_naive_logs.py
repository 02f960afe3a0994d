"""binary_cross_entropy takes the logs as they are: 0 * log(0) = NaN at p = 0 or 1."""

import torch

CAUGHT_BY = ["test_binary_cross_entropy_stays_finite_at_p_0_and_1"]


def binary_cross_entropy(p, y):
    return -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()
