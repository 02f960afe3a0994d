"""init_mlp_params starts the weights at zero: every hidden unit stays the same."""

import torch
from torch import nn

CAUGHT_BY = ["test_init_mlp_params_gives_trainable_784_256_10_parameters"]


def init_mlp_params(num_inputs, num_hiddens, num_outputs):
    return [
        nn.Parameter(torch.zeros(num_inputs, num_hiddens)),
        nn.Parameter(torch.zeros(num_hiddens)),
        nn.Parameter(torch.zeros(num_hiddens, num_outputs)),
        nn.Parameter(torch.zeros(num_outputs)),
    ]
