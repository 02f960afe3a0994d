"""cross_entropy computed on logits.detach(): right value, no gradient."""

import torch

CAUGHT_BY = ["test_cross_entropy_gradient_is_softmax_minus_one_hot_over_n"]


def cross_entropy(logits, y):
    logits = logits.detach()
    return -log_softmax(logits, dim=1)[torch.arange(len(y)), y].mean()
