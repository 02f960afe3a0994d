"""softmax hands the work to torch.softmax instead of writing it."""

import torch

CAUGHT_BY = ["test_softmax_matches_torch_along_any_dim"]


def softmax(X, dim=-1):
    return torch.softmax(X, dim=dim)
