"""save_tensor and load_tensor skip the isinstance checks: dicts of tensors go through."""

import torch

CAUGHT_BY = ["test_save_tensor_and_load_tensor_refuse_what_is_not_a_tensor"]


def save_tensor(t, path):
    torch.save(t, path)


def load_tensor(path):
    return torch.load(path, weights_only=True)
