"""xavier_uniform_ returns a fresh tensor and leaves the weight as it was."""

import math

import torch

CAUGHT_BY = ["test_xavier_uniform_fills_the_weight_in_place"]


def xavier_uniform_(weight):
    fan_out, fan_in = weight.shape
    bound = math.sqrt(6.0 / (fan_in + fan_out))
    return (torch.rand(weight.shape, dtype=weight.dtype) * 2 - 1) * bound
