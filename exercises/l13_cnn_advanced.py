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

Batch normalisation. Deeper and wider networks train faster when each
convolution's output is standardised over the batch (BatchNorm2d, then a
learned scale and shift); a convolution followed by BatchNorm needs no bias.
CifarResNet stacks conv-BN-ReLU stages, max pooling and two residual blocks
with BatchNorm into the ResNet-9 that Page used for DAWNBench: on a GPU, with
the data kept on the device, it passes 90% on CIFAR-10 in a few epochs.

The grader trains your InceptionNet and ResNet on MNIST and checks their test
accuracy (and, where there is a GPU, your CifarResNet on CIFAR-10), so keep the
layer names given in the docstrings.
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
    from ``channels`` to ``channels``: (N, C, H, W) -> (N, C, H, W).

    With ``batch_norm=True`` each convolution (then without bias) is followed
    by a BatchNorm2d, ``bn1`` and ``bn2``:
    relu(x + bn2(conv2(relu(bn1(conv1(x)))))).
    """

    def __init__(self, channels: int, batch_norm: bool = False) -> None:
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


def conv_bn(in_channels: int, out_channels: int) -> nn.Sequential:
    """nn.Sequential(3x3 convolution (padding 1, no bias), BatchNorm2d, ReLU):
    (N, in_channels, H, W) -> (N, out_channels, H, W)."""
    raise NotImplementedError("conv_bn")


class CifarResNet(nn.Module):
    """ResNet-9 for CIFAR-10: (N, 3, 32, 32) -> (N, 10) logits; w = ``width``.

    prep   = conv_bn(3, w)                                                   32x32
    layer1 = conv_bn(w, 2w), max pool 2, ResidualBlock(2w, batch_norm=True)  16x16
    layer2 = conv_bn(2w, 4w), max pool 2                                       8x8
    layer3 = conv_bn(4w, 8w), max pool 2, ResidualBlock(8w, batch_norm=True)   4x4
    then the maximum over the 4x4 map (adaptive max pool to 1x1), flatten to
    8w features, fc (8w -> 10, no bias), and the logits times 0.125 (small
    logits at the start keep the early, large learning rates stable).
    Layers: ``prep``, ``layer1``, ``layer2``, ``layer3`` (nn.Sequential), ``fc``.
    """

    def __init__(self, width: int = 64) -> None:
        super().__init__()
        raise NotImplementedError("CifarResNet.__init__")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("CifarResNet.forward")
