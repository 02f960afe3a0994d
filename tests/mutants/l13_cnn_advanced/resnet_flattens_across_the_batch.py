"""ResNet flattens channels-first across the batch (permute before reshape):
shapes are right, but each row mixes features of different images."""

import torch.nn.functional as F

CAUGHT_BY = ["test_resnet_reaches_98_percent_on_mnist"]


def _forward(self, x):
    n = x.size(0)
    x = self.mp(F.relu(self.conv1(x)))
    x = self.rblock1(x)
    x = self.mp(F.relu(self.conv2(x)))
    x = self.rblock2(x)
    return self.fc(x.permute(1, 0, 2, 3).reshape(n, -1))


ResNet.forward = _forward
