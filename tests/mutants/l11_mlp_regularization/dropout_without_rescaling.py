"""dropout_layer forgets to divide by 1 - dropout: the expectation shrinks."""

import torch

CAUGHT_BY = [
    "test_dropout_preserves_the_mean",
    "test_dropout_scales_survivors_by_1_over_1_minus_rate",
    "test_dropout_gradient_is_the_mask_over_1_minus_rate",
]


def dropout_layer(X, dropout):
    if not 0 <= dropout <= 1:
        raise ValueError(f"dropout must be between 0 and 1, got {dropout}")
    if dropout == 1:
        return torch.zeros_like(X)
    if dropout == 0:
        return X
    mask = (torch.rand_like(X) > dropout).to(X.dtype)
    return mask * X
