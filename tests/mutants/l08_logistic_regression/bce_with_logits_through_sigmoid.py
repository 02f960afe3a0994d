"""bce_with_logits applies sigmoid, then the clamped BCE: sigmoid(1e4) rounds
to 1 and the loss of a confident mistake is capped at 100."""

import torch

CAUGHT_BY = ["test_bce_with_logits_stays_exact_for_logits_of_1e4"]


def bce_with_logits(z, y):
    return binary_cross_entropy(torch.sigmoid(z), y)
