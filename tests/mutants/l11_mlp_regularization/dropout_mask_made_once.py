"""dropout_layer makes a mask once per shape and rate and reuses it: every
call drops the same units, so DropoutMLP drops the same ones too."""

import torch

CAUGHT_BY = [
    "test_dropout_draws_a_fresh_mask_every_call",
    "test_dropout_mlp_gives_different_outputs_on_two_calls_in_train_mode",
]
_MASKS = {}


def dropout_layer(X, dropout):
    if not 0 <= dropout <= 1:
        raise ValueError(f"dropout must be between 0 and 1, got {dropout}")
    if dropout == 1:
        return torch.zeros_like(X)
    if dropout == 0:
        return X
    key = (tuple(X.shape), X.dtype, dropout)
    if key not in _MASKS:
        _MASKS[key] = (torch.rand_like(X) > dropout).to(X.dtype)
    return _MASKS[key] * X / (1.0 - dropout)
