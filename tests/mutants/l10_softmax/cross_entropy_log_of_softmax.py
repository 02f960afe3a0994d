"""cross_entropy takes log(softmax(logits)): inf when the true class underflows to 0."""

import torch

CAUGHT_BY = ["test_cross_entropy_stays_finite_for_huge_logits"]


def cross_entropy(logits, y):
    return -softmax(logits, dim=1)[torch.arange(len(y)), y].log().mean()
