"""d2l's polynomial features (d2l 4.4: powers, divided by math.gamma(i + 1),
then ``torch.tensor(..., dtype=torch.float32)``): float32 for a float64 x.
The values are right, the dtype is not: only the powers-over-factorials
check fails, with a message about the dtype (issue 21: the under-fitting
check used to crash inside the grader's own torch.linalg.lstsq)."""

import math

import torch

CAUGHT_BY = ["test_polynomial_features_are_powers_over_factorials"]
MESSAGE_HOLDS = ["returned float32", "keep x's dtype"]  # the failure message names what is wrong


def polynomial_features(x, degree):
    poly_features = torch.pow(x.reshape(-1, 1), torch.arange(degree + 1).reshape(1, -1))
    for i in range(degree + 1):
        poly_features[:, i] /= math.gamma(i + 1)
    return torch.tensor(poly_features.tolist(), dtype=torch.float32)
