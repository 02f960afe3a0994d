"""one_hot starts from int64 zeros: right pattern, wrong dtype."""

import torch

CAUGHT_BY = ["test_one_hot_matches_f_one_hot_as_float32"]


def one_hot(labels, num_classes):
    out = torch.zeros(labels.shape[0], num_classes, dtype=torch.int64)
    out.scatter_(1, labels.unsqueeze(1), 1)
    return out
