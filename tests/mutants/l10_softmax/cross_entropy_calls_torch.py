"""cross_entropy hands the work to F.cross_entropy."""

import torch.nn.functional as F

CAUGHT_BY = ["test_cross_entropy_matches_torch_mean_over_the_batch"]


def cross_entropy(logits, y):
    return F.cross_entropy(logits, y)
