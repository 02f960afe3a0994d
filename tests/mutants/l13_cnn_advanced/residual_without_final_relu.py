"""ResidualBlock returns x + F(x) without the final ReLU."""

import torch.nn.functional as F

CAUGHT_BY = [
    "test_residual_block_with_zeroed_convs_is_relu_of_its_input",
    "test_residual_block_passes_gradient_through_the_skip_connection",
    "test_residual_block_computes_relu_of_x_plus_conv2_relu_conv1",
    "test_residual_block_with_batch_norm_normalises_both_convolutions",
]


def _forward(self, x):
    return x + self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))


ResidualBlock.forward = _forward
