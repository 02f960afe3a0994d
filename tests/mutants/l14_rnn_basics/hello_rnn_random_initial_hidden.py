"""HelloRNN starts from a random hidden state instead of zeros."""

import torch

CAUGHT_BY = ["test_hello_rnn_model_runs_torch_rnn_from_zeros"]


def _forward(self, x):
    out, _ = self.rnn(x, torch.randn(self.num_layers, x.size(1), self.hidden_size))
    return out.view(-1, self.hidden_size)


HelloRNN.forward = _forward
