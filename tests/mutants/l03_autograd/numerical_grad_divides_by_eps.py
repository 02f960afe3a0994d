"""numerical_grad takes the central difference but divides by eps instead of 2 eps."""

import torch

CAUGHT_BY = ["test_numerical_grad_matches_autograd_on_random_smooth_functions"]


def numerical_grad(f, x, eps=1e-4):
    grad = torch.zeros_like(x)
    for i in range(x.numel()):
        step = torch.zeros_like(x).view(-1)
        step[i] = eps
        step = step.view_as(x)
        grad.view(-1)[i] = (f(x + step) - f(x - step)) / eps
    return grad
