"""rnn_cell adds only one bias: tanh(x W_ih^T + b_ih + h W_hh^T)."""

import torch

CAUGHT_BY = ["test_rnn_cell_matches_torch_rnn_cell_with_copied_weights", "test_rnn_cell_gradients_match_torch"]


def rnn_cell(x, h, W_ih, W_hh, b_ih, b_hh):
    return torch.tanh(x @ W_ih.T + b_ih + h @ W_hh.T)
