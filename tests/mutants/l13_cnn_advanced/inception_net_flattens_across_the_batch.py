"""InceptionNet flattens channels-first across the batch (permute before
reshape): shapes are right, but each row mixes features of different images."""

import torch.nn.functional as F

CAUGHT_BY = ["test_inception_net_reaches_98_percent_on_mnist"]


def _forward(self, x):
    n = x.size(0)
    x = F.relu(self.mp(self.conv1(x)))
    x = self.incep1(x)
    x = F.relu(self.mp(self.conv2(x)))
    x = self.incep2(x)
    return self.fc(x.permute(1, 0, 2, 3).reshape(n, -1))


InceptionNet.forward = _forward
