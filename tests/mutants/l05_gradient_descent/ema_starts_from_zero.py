"""exponential_moving_average starts the running average at 0 instead of C_0."""

import torch

CAUGHT_BY = [
    "test_exponential_moving_average_follows_the_recurrence",
    "test_exponential_moving_average_of_a_constant_is_that_constant",
]


def exponential_moving_average(values, beta):
    out, running = torch.empty_like(values), 0.0
    for i in range(len(values)):
        running = beta * values[i] + (1 - beta) * running
        out[i] = running
    return out
