"""exponential_moving_average uses the other convention, beta on the running
average: C'_i = beta * C'_(i-1) + (1 - beta) * C_i."""

import torch

CAUGHT_BY = ["test_exponential_moving_average_follows_the_recurrence"]


def exponential_moving_average(values, beta):
    out = torch.empty_like(values)
    out[0] = values[0]
    for i in range(1, len(values)):
        out[i] = beta * out[i - 1] + (1 - beta) * values[i]
    return out
