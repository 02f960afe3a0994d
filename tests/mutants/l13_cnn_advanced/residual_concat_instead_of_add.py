"""ResidualBlock concatenates x and F(x) on channels instead of adding them."""

import torch
import torch.nn.functional as F

CAUGHT_BY = [
    "test_residual_block_keeps_the_shape",
    "test_residual_block_with_zeroed_convs_is_relu_of_its_input",
    "test_residual_block_computes_relu_of_x_plus_conv2_relu_conv1",
    "test_residual_block_with_batch_norm_normalises_both_convolutions",
    "test_cifar_resnet_maps_32x32_images_to_10_logits",
    "test_resnet_maps_images_to_10_logits",
    "test_cifar_resnet_reaches_90_percent_on_cifar10_on_cuda",
]


def _forward(self, x):
    return F.relu(torch.cat([x, self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))], dim=1))


ResidualBlock.forward = _forward
