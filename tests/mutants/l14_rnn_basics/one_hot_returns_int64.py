"""one_hot_sequence returns F.one_hot as it is: int64 rows an RNN cannot take."""

import torch.nn.functional as F

CAUGHT_BY = [
    "test_one_hot_sequence_gives_float_rows_with_a_single_one",
    "test_hello_logits_gives_each_models_scores_for_the_5_steps",
    "test_train_hello_lowers_the_loss_and_returns_the_trained_models_prediction",
]


def one_hot_sequence(indices, vocab_size):
    return F.one_hot(indices, vocab_size)
