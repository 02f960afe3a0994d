"""sgd updates the parameters but leaves their gradients in place."""

import torch

CAUGHT_BY = ["test_sgd_zeroes_the_gradients_it_used", "test_training_from_scratch_recovers_w_and_b_in_3_epochs"]


def sgd(params, lr, batch_size):
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
