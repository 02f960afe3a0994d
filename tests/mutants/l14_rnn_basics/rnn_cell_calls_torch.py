"""rnn_cell hands the work to PyTorch's own cell instead of writing it."""

import torch

CAUGHT_BY = ["test_rnn_cell_matches_torch_rnn_cell_with_copied_weights"]


def rnn_cell(x, h, W_ih, W_hh, b_ih, b_hh):
    return torch.rnn_tanh_cell(x, h, W_ih, W_hh, b_ih, b_hh)
