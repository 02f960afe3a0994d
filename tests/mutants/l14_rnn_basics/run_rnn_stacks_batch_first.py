"""run_rnn stacks the hidden states on dim 1: (batch, seq_len, hidden)."""

import torch

CAUGHT_BY = [
    "test_run_rnn_matches_torch_rnn_with_one_layer",
    "test_rnn_outputs_have_the_documented_shapes_for_any_length_and_batch",
    "test_run_rnn_output_depends_on_the_history",
]


def run_rnn(cell_fn, inputs, h0):
    h, states = h0, []
    for x_t in inputs:
        h = cell_fn(x_t, h)
        states.append(h)
    return torch.stack(states, dim=1)
