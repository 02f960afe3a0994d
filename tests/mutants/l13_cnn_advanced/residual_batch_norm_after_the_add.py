"""ResidualBlock with batch_norm applies bn2 after adding x: relu(bn2(x + conv2(...)))."""

import torch.nn.functional as F

CAUGHT_BY = ["test_residual_block_with_batch_norm_normalises_both_convolutions"]


def _forward(self, x):
    return F.relu(self.bn2(x + self.conv2(F.relu(self.bn1(self.conv1(x))))))


ResidualBlock.forward = _forward
