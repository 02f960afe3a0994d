"""dropout_layer makes the mask with .float() (as d2l does): a float16 or
bfloat16 X comes back as float32."""

import torch

CAUGHT_BY = ["test_dropout_keeps_the_dtype_of_x"]


def dropout_layer(X, dropout):
    if not 0 <= dropout <= 1:
        raise ValueError(f"dropout must be between 0 and 1, got {dropout}")
    if dropout == 1:
        return torch.zeros_like(X)
    if dropout == 0:
        return X
    mask = (torch.rand(X.shape) > dropout).float()
    return mask * X / (1.0 - dropout)
