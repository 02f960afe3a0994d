"""polynomial_features forgets to divide by i!: plain powers x^i."""

import torch

CAUGHT_BY = [
    "test_polynomial_features_are_powers_over_factorials",
    "test_degree_3_features_fit_the_cubic_and_degree_1_underfits",
]


def polynomial_features(x, degree):
    return x.unsqueeze(1) ** torch.arange(degree + 1, dtype=x.dtype)
