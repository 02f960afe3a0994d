"""synthetic_data forgets the noise: y lies exactly on the plane."""

import torch

CAUGHT_BY = ["test_synthetic_data_is_x_w_plus_b_plus_noise_of_std_0_01"]


def synthetic_data(w, b, num_examples):
    X = torch.normal(0, 1, (num_examples, len(w)))
    return X, (X @ w + b).reshape(-1, 1)
