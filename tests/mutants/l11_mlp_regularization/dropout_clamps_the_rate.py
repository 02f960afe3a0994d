"""dropout_layer clamps a rate outside [0, 1] into it instead of refusing it:
dropout_layer(X, 1.5) silently drops everything."""

import torch

CAUGHT_BY = ["test_dropout_layer_refuses_rates_outside_0_1_and_accepts_the_rates_inside"]


def dropout_layer(X, dropout):
    dropout = min(max(dropout, 0.0), 1.0)
    if dropout == 1:
        return torch.zeros_like(X)
    if dropout == 0:
        return X
    mask = (torch.rand_like(X) > dropout).to(X.dtype)
    return mask * X / (1.0 - dropout)
