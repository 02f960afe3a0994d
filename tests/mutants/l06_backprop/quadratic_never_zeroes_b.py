"""train_quadratic zeroes the gradients of w1 and w2 but forgets b's."""

import torch

CAUGHT_BY = ["test_train_quadratic_takes_one_step_per_sample_and_zeroes_every_gradient"]


def train_quadratic(xs, ys, lr=0.01, epochs=100):
    w1, w2, b = (torch.tensor([1.0], requires_grad=True) for _ in range(3))
    for _ in range(epochs):
        for x, y in zip(xs, ys):
            ((quadratic_forward(x, w1, w2, b) - y) ** 2).backward()
            with torch.no_grad():
                w1 -= lr * w1.grad
                w2 -= lr * w2.grad
                b -= lr * b.grad
            w1.grad.zero_()
            w2.grad.zero_()
    return w1, w2, b
