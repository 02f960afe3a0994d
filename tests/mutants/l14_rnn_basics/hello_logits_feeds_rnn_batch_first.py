"""hello_logits gives HelloRNN the one-hot sequence as (batch=1, seq_len=5, 4):
nn.RNN then reads 5 sequences of one step each, and forgets the history."""

import torch

CAUGHT_BY = [
    "test_hello_logits_gives_each_models_scores_for_the_5_steps",
    "test_train_hello_lowers_the_loss_and_returns_the_trained_models_prediction",
    "test_hello_rnn_model_reaches_ohlol",
]
_original = hello_logits


def hello_logits(model):
    if isinstance(model, HelloRNN):
        return model(one_hot_sequence(torch.tensor(HELLO), 4).view(1, -1, 4))
    return _original(model)
