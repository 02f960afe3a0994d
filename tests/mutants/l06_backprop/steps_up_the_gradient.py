"""train_with_autograd adds the gradient: w += lr * w.grad climbs the loss."""

import torch

CAUGHT_BY = [
    "test_one_training_step_moves_w_by_minus_lr_times_the_gradient",
    "test_training_zeroes_the_gradient_after_each_update",
    "test_training_learns_w_2_on_the_seed_data",
]


def train_with_autograd(xs, ys, w0=1.0, lr=0.01, epochs=100):
    w = torch.tensor([w0], requires_grad=True)
    for _ in range(epochs):
        for x, y in zip(xs, ys):
            loss(x, y, w).backward()
            with torch.no_grad():
                w += lr * w.grad
            w.grad.zero_()
    return w
