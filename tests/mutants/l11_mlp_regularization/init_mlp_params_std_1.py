"""init_mlp_params forgets the * 0.01: weights of std 1 give logits in the
hundreds, and SGD at lr 0.1 cannot train the MLP well."""

import torch
from torch import nn

CAUGHT_BY = [
    "test_init_mlp_params_gives_trainable_784_256_10_parameters",
    "test_scratch_mlp_reaches_82_percent_on_fashion_mnist",
]


def init_mlp_params(num_inputs, num_hiddens, num_outputs):
    return [
        nn.Parameter(torch.randn(num_inputs, num_hiddens)),
        nn.Parameter(torch.zeros(num_hiddens)),
        nn.Parameter(torch.randn(num_hiddens, num_outputs)),
        nn.Parameter(torch.zeros(num_outputs)),
    ]
