"""sgd writes `param = param - ...`: the name is rebound, the parameter never changes."""

import torch

CAUGHT_BY = [
    "test_sgd_updates_the_parameters_in_place",
    "test_sgd_zeroes_the_gradients_it_used",
    "test_training_from_scratch_recovers_w_and_b_in_3_epochs",
]


def sgd(params, lr, batch_size):
    with torch.no_grad():
        for param in params:
            param = param - lr * param.grad / batch_size
