"""dropout_layer draws the mask with randn (normal) instead of rand (uniform):
far more than a fraction `dropout` of the elements is dropped."""

import torch

CAUGHT_BY = ["test_dropout_zeroes_a_fraction_close_to_the_rate", "test_dropout_preserves_the_mean"]


def dropout_layer(X, dropout):
    if not 0 <= dropout <= 1:
        raise ValueError(f"dropout must be between 0 and 1, got {dropout}")
    if dropout == 1:
        return torch.zeros_like(X)
    if dropout == 0:
        return X
    mask = (torch.randn_like(X) > dropout).to(X.dtype)
    return mask * X / (1.0 - dropout)
