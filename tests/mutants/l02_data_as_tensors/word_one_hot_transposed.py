"""word_one_hot builds (len(vocab), len(words)): one column per word."""

import torch

CAUGHT_BY = [
    "test_word_one_hot_of_three_words_marks_their_places_in_the_vocabulary",
    "test_word_one_hot_marks_each_words_index_in_the_vocabulary",
]


def word_one_hot(words, vocab):
    index = {word: i for i, word in enumerate(vocab)}
    out = torch.zeros(len(vocab), len(words))
    for i, word in enumerate(words):
        out[index[word], i] = 1.0
    return out
