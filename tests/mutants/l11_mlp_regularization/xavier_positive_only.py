"""xavier_uniform_ samples U(0, a) instead of U(-a, a): all weights positive,
variance a^2 / 12 instead of a^2 / 3."""

import math

import torch

CAUGHT_BY = ["test_xavier_uniform_variance_is_2_over_fan_in_plus_fan_out"]


def xavier_uniform_(weight):
    fan_out, fan_in = weight.shape
    bound = math.sqrt(6.0 / (fan_in + fan_out))
    with torch.no_grad():
        weight.uniform_(0, bound)
    return weight
