"""ResidualBlock keeps its convolutions in a plain Python list: they are not
registered, so .to('cuda'), .parameters() and state_dict() miss them."""

import torch.nn.functional as F
from torch import nn

CAUGHT_BY = [
    "test_residual_block_with_zeroed_convs_is_relu_of_its_input",
    "test_residual_block_passes_gradient_through_the_skip_connection",
    "test_residual_block_computes_relu_of_x_plus_conv2_relu_conv1",
    "test_residual_block_with_batch_norm_normalises_both_convolutions",
    "test_cifar_resnet_has_the_resnet9_layers",
    "test_resnet_reaches_98_percent_on_cuda_and_stays_on_the_device",
    "test_cifar_resnet_reaches_90_percent_on_cifar10_on_cuda",
]


def _init(self, channels, batch_norm=False):
    nn.Module.__init__(self)
    self.convs = [nn.Conv2d(channels, channels, 3, padding=1) for _ in range(2)]


def _forward(self, x):
    return F.relu(x + self.convs[1](F.relu(self.convs[0](x))))


ResidualBlock.__init__ = _init
ResidualBlock.forward = _forward
