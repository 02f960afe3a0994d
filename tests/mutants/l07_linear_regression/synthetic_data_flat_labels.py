"""synthetic_data returns y of shape (n,) instead of (n, 1)."""

import torch

CAUGHT_BY = ["test_synthetic_data_is_x_w_plus_b_plus_noise_of_std_0_01"]


def synthetic_data(w, b, num_examples):
    X = torch.normal(0, 1, (num_examples, len(w)))
    y = X @ w + b
    return X, y + torch.normal(0, 0.01, y.shape)
