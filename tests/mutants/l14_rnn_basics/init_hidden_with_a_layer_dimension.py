"""HelloRNNCell.init_hidden returns (1, batch, hidden), the shape nn.RNN wants, not RNNCell."""

import torch

CAUGHT_BY = ["test_hello_rnn_cell_init_hidden_is_zeros_of_batch_by_hidden"]


def _init_hidden(self):
    return torch.zeros(1, self.batch_size, self.hidden_size)


HelloRNNCell.init_hidden = _init_hidden
