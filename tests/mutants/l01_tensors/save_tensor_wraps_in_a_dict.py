"""save_tensor saves {"tensor": t} and load_tensor unwraps it: the file is not a plain tensor file."""

import torch

CAUGHT_BY = [
    "test_save_tensor_and_load_tensor_round_trip_through_a_torch_file",
    "test_save_tensor_and_load_tensor_refuse_what_is_not_a_tensor",
]


def save_tensor(t, path):
    if not isinstance(t, torch.Tensor):
        raise TypeError("tensors only")
    torch.save({"tensor": t}, path)
