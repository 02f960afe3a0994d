"""CifarResNet keeps its logit scale in a plain tensor attribute: .to('cuda')
does not move it, so the forward pass mixes devices on a GPU."""

import torch

CAUGHT_BY = ["test_cifar_resnet_reaches_90_percent_on_cifar10_on_cuda"]
_init = CifarResNet.__init__


def _init_with_scale(self, width=64):
    _init(self, width)
    self.scale = torch.full((10,), 0.125)


def _forward(self, x):
    x = self.layer3(self.layer2(self.layer1(self.prep(x))))
    return self.fc(F.adaptive_max_pool2d(x, 1).flatten(1)) * self.scale


CifarResNet.__init__ = _init_with_scale
CifarResNet.forward = _forward
