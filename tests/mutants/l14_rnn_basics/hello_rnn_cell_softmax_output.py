"""HelloRNNCell returns softmax of the new hidden state (CrossEntropyLoss applies it already)."""

import torch

CAUGHT_BY = ["test_hello_rnn_cell_model_takes_one_rnn_cell_step"]


def _forward(self, x, hidden):
    return torch.softmax(self.rnncell(x, hidden), dim=1)


HelloRNNCell.forward = _forward
