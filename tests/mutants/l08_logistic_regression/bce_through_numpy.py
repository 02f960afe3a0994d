"""binary_cross_entropy computes in numpy (p.detach().numpy()): right values,
but the result is cut off from autograd."""

import numpy as np
import torch

CAUGHT_BY = ["test_binary_cross_entropy_gradient_matches_torch"]


def binary_cross_entropy(p, y):
    pn, yn = p.detach().numpy(), y.detach().numpy()
    with np.errstate(divide="ignore"):
        log_p, log_not_p = np.maximum(np.log(pn), -100), np.maximum(np.log(1 - pn), -100)
    return torch.tensor(-(yn * log_p + (1 - yn) * log_not_p).mean())
