"""The book's loop over ``line.lower().strip()`` in a (len(line), 128) tensor:
right on lines without outer spaces, but on a line that starts with a space
(line 279 is the first of 46) every row shifts and the last rows stay zero."""

import torch

CAUGHT_BY = ["test_char_one_hot_marks_the_ascii_code_of_each_lowercased_character"]
MESSAGE_HOLDS = ["starts with a space"]  # the failure message names what is wrong


def char_one_hot(line):
    letter_t = torch.zeros(len(line), 128)
    for i, letter in enumerate(line.lower().strip()):
        letter_index = ord(letter) if ord(letter) < 128 else 0
        letter_t[i][letter_index] = 1
    return letter_t
