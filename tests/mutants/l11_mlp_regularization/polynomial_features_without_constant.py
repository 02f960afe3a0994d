"""polynomial_features starts at x^1: no column of ones, so no intercept."""

import math

import torch

CAUGHT_BY = [
    "test_polynomial_features_are_powers_over_factorials",
    "test_degree_3_features_fit_the_cubic_and_degree_1_underfits",
]


def polynomial_features(x, degree):
    return torch.stack([x**i / math.factorial(i) for i in range(1, degree + 1)], dim=1)
