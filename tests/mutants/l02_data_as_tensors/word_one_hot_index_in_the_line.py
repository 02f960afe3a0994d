"""word_one_hot marks each word's position in the line instead of its index in the vocabulary."""

import torch

CAUGHT_BY = [
    "test_word_one_hot_of_three_words_marks_their_places_in_the_vocabulary",
    "test_word_one_hot_marks_each_words_index_in_the_vocabulary",
]


def word_one_hot(words, vocab):
    out = torch.zeros(len(words), len(vocab))
    for i, word in enumerate(words):
        out[i, words.index(word)] = 1.0
    return out
