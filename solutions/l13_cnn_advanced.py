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
    # BEGIN SOLUTION
    return kernel * kernel * height * width * in_channels * out_channels
    # END SOLUTION


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
        # BEGIN SOLUTION
        self.branch1x1 = nn.Conv2d(in_channels, 16, kernel_size=1)
        self.branch5x5_1 = nn.Conv2d(in_channels, 16, kernel_size=1)
        self.branch5x5_2 = nn.Conv2d(16, 24, kernel_size=5, padding=2)
        self.branch3x3_1 = nn.Conv2d(in_channels, 16, kernel_size=1)
        self.branch3x3_2 = nn.Conv2d(16, 24, kernel_size=3, padding=1)
        self.branch3x3_3 = nn.Conv2d(24, 24, kernel_size=3, padding=1)
        self.branch_pool = nn.Conv2d(in_channels, 24, kernel_size=1)
        # END SOLUTION

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # BEGIN SOLUTION
        branch1x1 = self.branch1x1(x)
        branch5x5 = self.branch5x5_2(self.branch5x5_1(x))
        branch3x3 = self.branch3x3_3(self.branch3x3_2(self.branch3x3_1(x)))
        branch_pool = self.branch_pool(F.avg_pool2d(x, kernel_size=3, stride=1, padding=1))
        return torch.cat([branch1x1, branch5x5, branch3x3, branch_pool], dim=1)
        # END SOLUTION


class ResidualBlock(nn.Module):
    """relu(x + conv2(relu(conv1(x)))) with two 3x3 convolutions (padding 1)
    from ``channels`` to ``channels``: (N, C, H, W) -> (N, C, H, W).

    With ``batch_norm=True`` each convolution (then without bias) is followed
    by a BatchNorm2d, ``bn1`` and ``bn2``:
    relu(x + bn2(conv2(relu(bn1(conv1(x)))))).
    """

    def __init__(self, channels: int, batch_norm: bool = False) -> None:
        super().__init__()
        # BEGIN SOLUTION
        self.conv1 = nn.Conv2d(channels, channels, kernel_size=3, padding=1, bias=not batch_norm)
        self.conv2 = nn.Conv2d(channels, channels, kernel_size=3, padding=1, bias=not batch_norm)
        self.bn1 = nn.BatchNorm2d(channels) if batch_norm else nn.Identity()
        self.bn2 = nn.BatchNorm2d(channels) if batch_norm else nn.Identity()
        # END SOLUTION

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # BEGIN SOLUTION
        y = F.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return F.relu(x + y)
        # END SOLUTION


class InceptionNet(nn.Module):
    """MNIST classifier: (N, 1, 28, 28) -> (N, 10) logits.

    conv1 (1 -> 10, 5x5), max pool 2, relu -> incep1 = InceptionA(10)
    -> conv2 (88 -> 20, 5x5), max pool 2, relu -> incep2 = InceptionA(20)
    -> flatten to 88 * 4 * 4 = 1408 -> fc (1408 -> 10).
    """

    def __init__(self) -> None:
        super().__init__()
        # BEGIN SOLUTION
        self.conv1 = nn.Conv2d(1, 10, kernel_size=5)
        self.conv2 = nn.Conv2d(88, 20, kernel_size=5)
        self.incep1 = InceptionA(10)
        self.incep2 = InceptionA(20)
        self.mp = nn.MaxPool2d(2)
        self.fc = nn.Linear(1408, 10)
        # END SOLUTION

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # BEGIN SOLUTION
        x = F.relu(self.mp(self.conv1(x)))
        x = self.incep1(x)
        x = F.relu(self.mp(self.conv2(x)))
        x = self.incep2(x)
        return self.fc(x.view(x.size(0), -1))
        # END SOLUTION


class ResNet(nn.Module):
    """MNIST classifier: (N, 1, 28, 28) -> (N, 10) logits.

    conv1 (1 -> 16, 5x5), relu, max pool 2 -> rblock1 = ResidualBlock(16)
    -> conv2 (16 -> 32, 5x5), relu, max pool 2 -> rblock2 = ResidualBlock(32)
    -> flatten to 32 * 4 * 4 = 512 -> fc (512 -> 10).
    """

    def __init__(self) -> None:
        super().__init__()
        # BEGIN SOLUTION
        self.conv1 = nn.Conv2d(1, 16, kernel_size=5)
        self.conv2 = nn.Conv2d(16, 32, kernel_size=5)
        self.rblock1 = ResidualBlock(16)
        self.rblock2 = ResidualBlock(32)
        self.mp = nn.MaxPool2d(2)
        self.fc = nn.Linear(512, 10)
        # END SOLUTION

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # BEGIN SOLUTION
        x = self.mp(F.relu(self.conv1(x)))
        x = self.rblock1(x)
        x = self.mp(F.relu(self.conv2(x)))
        x = self.rblock2(x)
        return self.fc(x.view(x.size(0), -1))
        # END SOLUTION


def conv_bn(in_channels: int, out_channels: int) -> nn.Sequential:
    """nn.Sequential(3x3 convolution (padding 1, no bias), BatchNorm2d, ReLU):
    (N, in_channels, H, W) -> (N, out_channels, H, W)."""
    # BEGIN SOLUTION
    return nn.Sequential(
        nn.Conv2d(in_channels, out_channels, kernel_size=3, padding=1, bias=False),
        nn.BatchNorm2d(out_channels),
        nn.ReLU(),
    )
    # END SOLUTION


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
        # BEGIN SOLUTION
        w = width
        self.prep = conv_bn(3, w)
        self.layer1 = nn.Sequential(conv_bn(w, 2 * w), nn.MaxPool2d(2), ResidualBlock(2 * w, batch_norm=True))
        self.layer2 = nn.Sequential(conv_bn(2 * w, 4 * w), nn.MaxPool2d(2))
        self.layer3 = nn.Sequential(conv_bn(4 * w, 8 * w), nn.MaxPool2d(2), ResidualBlock(8 * w, batch_norm=True))
        self.fc = nn.Linear(8 * w, 10, bias=False)
        # END SOLUTION

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # BEGIN SOLUTION
        x = self.layer3(self.layer2(self.layer1(self.prep(x))))
        x = F.adaptive_max_pool2d(x, 1).flatten(1)
        return self.fc(x) * 0.125
        # END SOLUTION
