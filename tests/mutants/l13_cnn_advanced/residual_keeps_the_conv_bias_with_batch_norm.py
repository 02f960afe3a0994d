"""ResidualBlock keeps a bias in its convolutions even with batch_norm=True
(wasted parameters: BatchNorm's shift cancels it)."""

from torch import nn

CAUGHT_BY = [
    "test_residual_block_with_batch_norm_normalises_both_convolutions",
    "test_cifar_resnet_has_the_resnet9_layers",
]
_init = ResidualBlock.__init__


def _biased_init(self, channels, batch_norm=False):
    _init(self, channels, batch_norm)
    self.conv1 = nn.Conv2d(channels, channels, kernel_size=3, padding=1)
    self.conv2 = nn.Conv2d(channels, channels, kernel_size=3, padding=1)


ResidualBlock.__init__ = _biased_init
