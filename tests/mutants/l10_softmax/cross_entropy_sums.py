"""cross_entropy sums over the batch instead of averaging (reduction='sum')."""

CAUGHT_BY = [
    "test_cross_entropy_matches_torch_mean_over_the_batch",
    "test_cross_entropy_of_zero_logits_over_10_classes_is_ln_10",
    "test_cross_entropy_stays_finite_for_huge_logits",
    "test_cross_entropy_gradient_is_softmax_minus_one_hot_over_n",
]
import torch


def cross_entropy(logits, y):
    return -log_softmax(logits, dim=1)[torch.arange(len(y)), y].sum()
