"""synthetic_data draws the features with torch.rand (uniform in [0, 1)) instead of N(0, 1)."""

import torch

CAUGHT_BY = ["test_synthetic_data_is_x_w_plus_b_plus_noise_of_std_0_01"]


def synthetic_data(w, b, num_examples):
    X = torch.rand(num_examples, len(w))
    y = X @ w + b
    y += torch.normal(0, 0.01, y.shape)
    return X, y.reshape(-1, 1)
