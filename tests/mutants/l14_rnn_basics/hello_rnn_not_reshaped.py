"""HelloRNN returns the RNN output as it is, (seq_len, batch, hidden), not (seq_len * batch, hidden)."""

import torch

CAUGHT_BY = [
    "test_rnn_outputs_have_the_documented_shapes_for_any_length_and_batch",
    "test_hello_rnn_model_runs_torch_rnn_from_zeros",
]


def _forward(self, x):
    out, _ = self.rnn(x, torch.zeros(self.num_layers, x.size(1), self.hidden_size))
    return out


HelloRNN.forward = _forward
