"""conv_bn ends with the BatchNorm: no ReLU."""

from torch import nn

CAUGHT_BY = ["test_conv_bn_is_a_convolution_batch_norm_and_relu"]


def conv_bn(in_channels, out_channels):
    return nn.Sequential(nn.Conv2d(in_channels, out_channels, 3, padding=1, bias=False), nn.BatchNorm2d(out_channels))
