"""relu calls torch.relu, which this lesson asks to write by hand."""

import torch

CAUGHT_BY = ["test_relu_matches_torch_on_a_grid_with_zero_and_on_random_tensors"]


def relu(X):
    return torch.relu(X)
