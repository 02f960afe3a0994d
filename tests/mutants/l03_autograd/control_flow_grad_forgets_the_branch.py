"""control_flow_grad counts the doublings by hand (2^k) and forgets the 100 of the negative branch."""

import torch

CAUGHT_BY = ["test_control_flow_grad_equals_f_of_a_over_a"]


def control_flow_grad(a):
    b, k = a * 2, 1
    while b.norm() < 1000:
        b, k = b * 2, k + 1
    return torch.tensor(2.0**k, dtype=a.dtype)
