"""dropout_layer draws the mask with torch.rand(X.shape), always on the CPU:
a CUDA X fails with a device mismatch."""

import torch

CAUGHT_BY = ["test_dropout_makes_its_mask_on_the_device_of_x"]


def dropout_layer(X, dropout):
    if not 0 <= dropout <= 1:
        raise ValueError(f"dropout must be between 0 and 1, got {dropout}")
    if dropout == 1:
        return torch.zeros_like(X)
    if dropout == 0:
        return X
    mask = (torch.rand(X.shape) > dropout).to(X.dtype)
    return mask * X / (1.0 - dropout)
