"""norms hands the work to torch.norm."""

import torch

CAUGHT_BY = ["test_norms_give_l1_and_l2_without_torch_norm"]


def norms(v):
    return torch.norm(v, p=1), torch.norm(v)
