"""rnn_cell cuts the hidden state out of the graph (h.detach()): right values,
no gradient back through time."""

import torch

CAUGHT_BY = ["test_rnn_cell_gradients_match_torch"]


def rnn_cell(x, h, W_ih, W_hh, b_ih, b_hh):
    return torch.tanh(x @ W_ih.T + b_ih + h.detach() @ W_hh.T + b_hh)
