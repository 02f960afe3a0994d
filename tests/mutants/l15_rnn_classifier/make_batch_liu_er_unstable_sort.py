"""Liu Er's make_tensors (lecture 13), adapted to the lesson's signature:
``seq_lengths.sort(dim=0, descending=True)`` without ``stable=True``. On the
CPU torch's sort is not stable beyond 16 elements, so names of equal length
change places, which the docstring promises they do not (issue 24). Fails
with a message about the order of equal lengths."""

import torch

CAUGHT_BY = ["test_make_batch_pads_with_zeros_and_sorts_by_length_longest_first"]
MESSAGE_HOLDS = [
    "names of equal length should keep their order",
    "stable=True",
]  # the failure message names what is wrong


def make_batch(names, countries):
    sequences_and_lengths = [(name_to_indices(name), len(name)) for name in names]
    name_sequences = [sl[0] for sl in sequences_and_lengths]
    seq_lengths = torch.LongTensor([sl[1] for sl in sequences_and_lengths])
    countries = torch.as_tensor(countries).long()
    # make tensor of name, BatchSize x SeqLen
    seq_tensor = torch.zeros(len(name_sequences), seq_lengths.max()).long()
    for idx, (seq, seq_len) in enumerate(zip(name_sequences, seq_lengths), 0):
        seq_tensor[idx, :seq_len] = torch.LongTensor(seq)
    # sort by length to use pack_padded_sequence
    seq_lengths, perm_idx = seq_lengths.sort(dim=0, descending=True)
    seq_tensor = seq_tensor[perm_idx]
    countries = countries[perm_idx]
    return seq_tensor, seq_lengths, countries
