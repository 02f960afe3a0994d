"""Lesson 13 · Advanced CNN: GoogLeNet's Inception block and ResNet (Liu Er lecture 11).

Two ideas make deep convolutional networks practical.

1x1 卷积 (1x1 convolution). A 1x1 convolution mixes channels at each pixel
without looking at neighbours. Put before an expensive convolution, it shrinks
the channels first: a 5x5 convolution from 192 to 32 channels on a 28x28 map
costs 5*5*28*28*192*32 = 120,422,400 multiply-accumulates; squeezing to 16
channels with a 1x1 convolution first costs about a tenth of that.

Inception. Instead of choosing one kernel size, run several branches in
parallel (1x1; 1x1 then 5x5; 1x1 then two 3x3; average pool then 1x1) and
concatenate their outputs along the channel dimension (dim=1). Every branch
keeps the spatial size, so the outputs line up: 16 + 24 + 24 + 24 = 88 channels.

Residual connections against 梯度消失 (vanishing gradients). A residual block
computes relu(x + F(x)): the block only has to learn the change F(x), and the
gradient reaches x through the "+ x" path even when F's gradient is tiny.

The grader trains your InceptionNet and ResNet on MNIST and checks their test
accuracy, so keep the layer names given in the docstrings.
"""

import torch
import torch.nn.functional as F
from torch import nn


def conv_cost(in_channels: int, out_channels: int, kernel: int, height: int, width: int) -> int:
    """Multiply-accumulate operations of a ``kernel`` x ``kernel`` convolution
    producing an ``out_channels`` x ``height`` x ``width`` output from
    ``in_channels`` input channels (padding keeps the size; bias ignored)."""
    raise NotImplementedError("conv_cost")


class InceptionA(nn.Module):
    """The lecture's Inception block: (N, in_channels, H, W) -> (N, 88, H, W).

    Branches, each keeping H and W, concatenated on channels in this order:
      branch1x1:     1x1 conv -> 16
      branch5x5_1/2: 1x1 conv -> 16, then 5x5 conv (padding 2) -> 24
      branch3x3_1/2/3: 1x1 conv -> 16, 3x3 conv (padding 1) -> 24, 3x3 conv (padding 1) -> 24
      branch_pool:   3x3 average pool (stride 1, padding 1), then 1x1 conv -> 24
    No activation inside the block.
    """

    def __init__(self, in_channels: int) -> None:
        super().__init__()
        raise NotImplementedError("InceptionA.__init__")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("InceptionA.forward")


class ResidualBlock(nn.Module):
    """relu(x + conv2(relu(conv1(x)))) with two 3x3 convolutions (padding 1)
    from ``channels`` to ``channels``: (N, C, H, W) -> (N, C, H, W)."""

    def __init__(self, channels: int) -> None:
        super().__init__()
        raise NotImplementedError("ResidualBlock.__init__")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("ResidualBlock.forward")


class InceptionNet(nn.Module):
    """MNIST classifier: (N, 1, 28, 28) -> (N, 10) logits.

    conv1 (1 -> 10, 5x5), max pool 2, relu -> incep1 = InceptionA(10)
    -> conv2 (88 -> 20, 5x5), max pool 2, relu -> incep2 = InceptionA(20)
    -> flatten to 88 * 4 * 4 = 1408 -> fc (1408 -> 10).
    """

    def __init__(self) -> None:
        super().__init__()
        raise NotImplementedError("InceptionNet.__init__")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("InceptionNet.forward")


class ResNet(nn.Module):
    """MNIST classifier: (N, 1, 28, 28) -> (N, 10) logits.

    conv1 (1 -> 16, 5x5), relu, max pool 2 -> rblock1 = ResidualBlock(16)
    -> conv2 (16 -> 32, 5x5), relu, max pool 2 -> rblock2 = ResidualBlock(32)
    -> flatten to 32 * 4 * 4 = 512 -> fc (512 -> 10).
    """

    def __init__(self) -> None:
        super().__init__()
        raise NotImplementedError("ResNet.__init__")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("ResNet.forward")
