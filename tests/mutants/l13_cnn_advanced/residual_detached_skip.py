"""ResidualBlock adds x.detach(): right values, but no gradient through the skip."""

import torch.nn.functional as F

CAUGHT_BY = ["test_residual_block_passes_gradient_through_the_skip_connection"]


def _forward(self, x):
    return F.relu(x.detach() + self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x))))))


ResidualBlock.forward = _forward
