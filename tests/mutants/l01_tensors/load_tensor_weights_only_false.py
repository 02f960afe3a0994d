"""load_tensor loads with weights_only=False (then checks the type): the file's code has already run."""

import torch

CAUGHT_BY = ["test_load_tensor_refuses_a_file_that_would_run_code"]


def load_tensor(path):
    value = torch.load(path, weights_only=False)
    if not isinstance(value, torch.Tensor):
        raise TypeError("not a tensor")
    return value
