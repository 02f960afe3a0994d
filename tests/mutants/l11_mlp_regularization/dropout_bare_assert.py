"""dropout_layer checks the rate with d2l's bare assert: it raises, but the
message does not say which value was wrong."""

import torch

CAUGHT_BY = ["test_dropout_layer_rejects_rates_outside_0_1_naming_the_value"]


def dropout_layer(X, dropout):
    assert 0 <= dropout <= 1
    if dropout == 1:
        return torch.zeros_like(X)
    if dropout == 0:
        return X
    mask = (torch.rand_like(X) > dropout).to(X.dtype)
    return mask * X / (1.0 - dropout)
