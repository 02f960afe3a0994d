"""one_hot scatters along dim 0: the ones land in column 0 at the label's row."""

import torch

CAUGHT_BY = ["test_one_hot_matches_f_one_hot_as_float32"]


def one_hot(labels, num_classes):
    out = torch.zeros(labels.shape[0], num_classes)
    out.scatter_(0, labels.unsqueeze(1), 1.0)
    return out
