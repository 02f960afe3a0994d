"""sgd steps by lr * grad without dividing by the batch size."""

import torch

CAUGHT_BY = ["test_sgd_updates_the_parameters_in_place"]


def sgd(params, lr, batch_size):
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad
            param.grad.zero_()
