"""char_one_hot clamps codes beyond ASCII to 127 instead of mapping them to 0."""

import torch

CAUGHT_BY = ["test_char_one_hot_marks_the_ascii_code_of_each_lowercased_character"]


def char_one_hot(line):
    line = line.lower()
    out = torch.zeros(len(line), 128)
    for i, ch in enumerate(line):
        out[i, min(ord(ch), 127)] = 1.0
    return out
