"""xavier_uniform_ calls torch.nn.init.xavier_uniform_, which this lesson asks to write by hand."""

import torch

CAUGHT_BY = [
    "test_xavier_uniform_stays_within_the_bound_and_comes_close_to_it",
    "test_xavier_uniform_variance_is_2_over_fan_in_plus_fan_out",
]


def xavier_uniform_(weight):
    return torch.nn.init.xavier_uniform_(weight)
