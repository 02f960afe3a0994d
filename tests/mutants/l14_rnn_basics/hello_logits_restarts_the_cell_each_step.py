"""hello_logits starts every RNNCell step from init_hidden(): no memory, so the
two 'l's of "hello" cannot map to different letters."""

import torch

CAUGHT_BY = ["test_hello_logits_gives_each_models_scores_for_the_5_steps", "test_hello_rnn_cell_model_reaches_ohlol"]
_original = hello_logits


def hello_logits(model):
    if isinstance(model, HelloRNNCell):
        inputs = one_hot_sequence(torch.tensor(HELLO), 4).view(-1, 1, 4)
        return torch.cat([model(x_t, model.init_hidden()) for x_t in inputs])
    return _original(model)
