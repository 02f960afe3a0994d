"""run_rnn never carries the hidden state: every step starts from h0."""

import torch

CAUGHT_BY = ["test_run_rnn_matches_torch_rnn_with_one_layer", "test_run_rnn_output_depends_on_the_history"]


def run_rnn(cell_fn, inputs, h0):
    return torch.stack([cell_fn(x_t, h0) for x_t in inputs])
