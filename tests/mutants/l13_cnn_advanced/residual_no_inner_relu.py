"""ResidualBlock skips the ReLU between its two convolutions."""

import torch.nn.functional as F

CAUGHT_BY = [
    "test_residual_block_computes_relu_of_x_plus_conv2_relu_conv1",
    "test_residual_block_with_batch_norm_normalises_both_convolutions",
]


def _forward(self, x):
    return F.relu(x + self.bn2(self.conv2(self.bn1(self.conv1(x)))))


ResidualBlock.forward = _forward
