"""InceptionA's 3x3 branch has one 3x3 convolution instead of two (same output shape)."""

import torch
import torch.nn.functional as F

CAUGHT_BY = [
    "test_inception_has_the_lecture_branches",
    "test_inception_computes_the_lecture_branches_for_given_weights",
]
_init = InceptionA.__init__


def _init_without_third(self, in_channels):
    _init(self, in_channels)
    del self.branch3x3_3


def _forward(self, x):
    b1 = self.branch1x1(x)
    b5 = self.branch5x5_2(self.branch5x5_1(x))
    b3 = self.branch3x3_2(self.branch3x3_1(x))
    bp = self.branch_pool(F.avg_pool2d(x, kernel_size=3, stride=1, padding=1))
    return torch.cat([b1, b5, b3, bp], dim=1)


InceptionA.__init__ = _init_without_third
InceptionA.forward = _forward
