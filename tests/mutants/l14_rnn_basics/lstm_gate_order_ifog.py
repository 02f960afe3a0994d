"""lstm_cell reads the gates in the order i, f, o, g instead of PyTorch's i, f, g, o."""

import torch

CAUGHT_BY = ["test_lstm_cell_matches_torch_lstm_cell_with_copied_weights", "test_lstm_cell_gradients_match_torch"]


def lstm_cell(x, h, c, W_ih, W_hh, b_ih, b_hh):
    i, f, o, g = (x @ W_ih.T + b_ih + h @ W_hh.T + b_hh).chunk(4, dim=1)
    c_next = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
    return torch.sigmoid(o) * torch.tanh(c_next), c_next
