"""make_batch ordered with Python's ``sorted(..., reverse=True)``, which is
stable: names of equal length keep their order. Correct code that must pass."""

import torch

CAUGHT_BY = []


def make_batch(names, countries):
    countries = torch.as_tensor(countries, dtype=torch.long)
    order = sorted(range(len(names)), key=lambda i: len(names[i]), reverse=True)
    width = len(names[order[0]])
    padded = torch.zeros(len(names), width, dtype=torch.long)
    for row, i in enumerate(order):
        padded[row, : len(names[i])] = torch.tensor(name_to_indices(names[i]), dtype=torch.long)
    lengths = torch.tensor([len(names[i]) for i in order], dtype=torch.long)
    return padded, lengths, countries[torch.tensor(order)]
