"""gradient lets autograd do the work the lesson asks to do by hand."""

import torch

CAUGHT_BY = ["test_gradient_matches_autograd"]


def gradient(xs, ys, w):
    w = torch.tensor(float(w), dtype=xs.dtype, requires_grad=True)
    ((xs * w - ys) ** 2).mean().backward()
    return w.grad
