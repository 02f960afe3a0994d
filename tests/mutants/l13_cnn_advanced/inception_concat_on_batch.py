"""InceptionA concatenates its branches on dim 0 (the batch) instead of channels."""

import torch
import torch.nn.functional as F

CAUGHT_BY = [
    "test_inception_outputs_88_channels_and_keeps_the_spatial_size",
    "test_inception_computes_the_lecture_branches_for_given_weights",
    "test_inception_net_maps_images_to_10_logits",
]


def _forward(self, x):
    b1 = self.branch1x1(x)
    b5 = self.branch5x5_2(self.branch5x5_1(x))
    b3 = self.branch3x3_3(self.branch3x3_2(self.branch3x3_1(x)))
    bp = self.branch_pool(F.avg_pool2d(x, kernel_size=3, stride=1, padding=1))
    return torch.cat([b1, b5, b3, bp], dim=0)


InceptionA.forward = _forward
