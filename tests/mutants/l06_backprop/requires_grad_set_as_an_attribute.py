"""`w.requires_grad_ = True` sets a new attribute instead of calling the method:
w never requires grad and backward() refuses."""

import torch

CAUGHT_BY = [
    "test_one_training_step_moves_w_by_minus_lr_times_the_gradient",
    "test_training_zeroes_the_gradient_after_each_update",
    "test_training_learns_w_2_on_the_seed_data",
    "test_trained_parameters_are_leaves_that_still_require_grad",
]


def train_with_autograd(xs, ys, w0=1.0, lr=0.01, epochs=100):
    w = torch.tensor([w0])
    w.requires_grad_ = True
    for _ in range(epochs):
        for x, y in zip(xs, ys):
            loss(x, y, w).backward()
            with torch.no_grad():
                w -= lr * w.grad
            w.grad.zero_()
    return w
