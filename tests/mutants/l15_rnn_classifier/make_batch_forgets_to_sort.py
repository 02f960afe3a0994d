"""make_batch pads the names in the order given, without sorting by length."""

import torch

CAUGHT_BY = ["test_make_batch_pads_with_zeros_and_sorts_by_length_longest_first"]


def make_batch(names, countries):
    lengths = torch.tensor([len(name) for name in names])
    padded = torch.zeros(len(names), int(lengths.max()), dtype=torch.long)
    for row, name in enumerate(names):
        padded[row, : len(name)] = torch.tensor(name_to_indices(name))
    return padded, lengths, torch.as_tensor(countries, dtype=torch.long)
