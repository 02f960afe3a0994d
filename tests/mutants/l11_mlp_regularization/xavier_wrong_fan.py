"""xavier_uniform_ uses only fan_in: a = sqrt(6 / fan_in) (and fan_in read
from shape[0]), so the bound and the variance are wrong for non-square weights."""

import math

import torch

CAUGHT_BY = [
    "test_xavier_uniform_stays_within_the_bound_and_comes_close_to_it",
    "test_xavier_uniform_variance_is_2_over_fan_in_plus_fan_out",
]


def xavier_uniform_(weight):
    fan_in = weight.shape[0]
    bound = math.sqrt(6.0 / fan_in)
    with torch.no_grad():
        weight.uniform_(-bound, bound)
    return weight
