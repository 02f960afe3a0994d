"""init_mlp_params sets requires_grad before scaling: W1 and W2 are results
of a product, not leaves, and an optimizer refuses them."""

import torch

CAUGHT_BY = ["test_init_mlp_params_gives_trainable_784_256_10_parameters"]


def init_mlp_params(num_inputs, num_hiddens, num_outputs):
    W1 = torch.randn(num_inputs, num_hiddens, requires_grad=True) * 0.01
    b1 = torch.zeros(num_hiddens, requires_grad=True)
    W2 = torch.randn(num_hiddens, num_outputs, requires_grad=True) * 0.01
    b2 = torch.zeros(num_outputs, requires_grad=True)
    return [W1, b1, W2, b2]
