"""one_hot_sequence returns F.one_hot as it is: int64 rows an RNN cannot take."""

import torch.nn.functional as F

CAUGHT_BY = ["test_one_hot_sequence_gives_float_rows_with_a_single_one"]


def one_hot_sequence(indices, vocab_size):
    return F.one_hot(indices, vocab_size)
