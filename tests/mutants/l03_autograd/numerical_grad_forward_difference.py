"""numerical_grad uses forward differences (f(x + eps) - f(x)) / eps: an O(eps) error."""

import torch

CAUGHT_BY = ["test_numerical_grad_matches_autograd_on_random_smooth_functions"]


def numerical_grad(f, x, eps=1e-4):
    grad = torch.zeros_like(x)
    for i in range(x.numel()):
        step = torch.zeros_like(x).view(-1)
        step[i] = eps
        grad.view(-1)[i] = (f(x + step.view_as(x)) - f(x)) / eps
    return grad
