"""binary_cross_entropy clamps p into [1e-7, 1 - 1e-7]: finite, but a sure
mistake costs 16 instead of torch's 100."""

import torch

CAUGHT_BY = ["test_binary_cross_entropy_stays_finite_at_p_0_and_1"]


def binary_cross_entropy(p, y):
    p = p.clamp(1e-7, 1 - 1e-7)
    return -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()
