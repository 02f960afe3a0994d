"""CifarResNet leaves out the residual block of layer3 (a ResNet-7)."""

from torch import nn

CAUGHT_BY = ["test_cifar_resnet_has_the_resnet9_layers"]
_init = CifarResNet.__init__


def _short_init(self, width=64):
    _init(self, width)
    self.layer3 = nn.Sequential(conv_bn(4 * width, 8 * width), nn.MaxPool2d(2))


CifarResNet.__init__ = _short_init
