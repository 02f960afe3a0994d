"""dropout_layer has no special case for dropout 1: 0 * X / 0 is NaN."""

import torch

CAUGHT_BY = ["test_dropout_0_returns_x_and_dropout_1_returns_zeros"]


def dropout_layer(X, dropout):
    if not 0 <= dropout <= 1:
        raise ValueError(f"dropout must be between 0 and 1, got {dropout}")
    mask = (torch.rand_like(X) > dropout).to(X.dtype)
    return mask * X / (1.0 - dropout)
