"""relu with torch.where, the other way the hint teaches. Correct code that
must pass."""

import torch

CAUGHT_BY = []


def relu(X):
    return torch.where(X > 0, X, torch.zeros_like(X))
