"""grad_fn divides by 11, the size of the book's data, instead of the number of samples given."""

import torch

CAUGHT_BY = ["test_grad_fn_equals_autograd_in_float64_at_random_points"]


def grad_fn(t_u, t_c, t_p, w, b):
    dloss_dtp = 2 * (t_p - t_c) / 11
    return torch.stack([(dloss_dtp * t_u).sum(), dloss_dtp.sum()])
