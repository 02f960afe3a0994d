"""train_with_autograd returns w.detach(): the value is right, but the result
no longer requires grad."""

import torch

CAUGHT_BY = ["test_trained_parameters_are_leaves_that_still_require_grad"]


def train_with_autograd(xs, ys, w0=1.0, lr=0.01, epochs=100):
    w = torch.tensor([w0], requires_grad=True)
    for _ in range(epochs):
        for x, y in zip(xs, ys):
            loss(x, y, w).backward()
            with torch.no_grad():
                w -= lr * w.grad
            w.grad.zero_()
    return w.detach()
