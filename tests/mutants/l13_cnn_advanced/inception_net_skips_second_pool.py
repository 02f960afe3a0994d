"""InceptionNet forgets the max pool after conv2: the flattened size is not 1408."""

import torch.nn.functional as F

CAUGHT_BY = ["test_inception_net_maps_images_to_10_logits"]


def _forward(self, x):
    x = F.relu(self.mp(self.conv1(x)))
    x = self.incep1(x)
    x = F.relu(self.conv2(x))
    x = self.incep2(x)
    return self.fc(x.view(x.size(0), -1))


InceptionNet.forward = _forward
