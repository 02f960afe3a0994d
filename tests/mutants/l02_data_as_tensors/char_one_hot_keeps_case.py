"""char_one_hot does not lowercase: 'I' lands at 73 instead of 105."""

import torch

CAUGHT_BY = ["test_char_one_hot_marks_the_ascii_code_of_each_lowercased_character"]


def char_one_hot(line):
    out = torch.zeros(len(line), 128)
    for i, ch in enumerate(line):
        out[i, ord(ch) if ord(ch) < 128 else 0] = 1.0
    return out
