"""InceptionA's 5x5 branch outputs 16 channels instead of 24 (80 in all)."""

from torch import nn

CAUGHT_BY = [
    "test_inception_outputs_88_channels_and_keeps_the_spatial_size",
    "test_inception_has_the_lecture_branches",
    "test_inception_net_maps_images_to_10_logits",
]
_init = InceptionA.__init__


def _narrow_init(self, in_channels):
    _init(self, in_channels)
    self.branch5x5_2 = nn.Conv2d(16, 16, kernel_size=5, padding=2)


InceptionA.__init__ = _narrow_init
