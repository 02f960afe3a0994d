"""bce_with_logits sums over the batch instead of averaging."""

import torch

CAUGHT_BY = ["test_bce_with_logits_matches_torch", "test_bce_with_logits_stays_exact_for_logits_of_1e4"]


def bce_with_logits(z, y):
    return (z.clamp(min=0) - z * y + torch.log1p(torch.exp(-z.abs()))).sum()
