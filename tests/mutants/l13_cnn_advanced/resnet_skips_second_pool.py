"""ResNet forgets the max pool after conv2: the flattened size is not 512."""

import torch.nn.functional as F

CAUGHT_BY = ["test_resnet_maps_images_to_10_logits"]


def _forward(self, x):
    x = self.mp(F.relu(self.conv1(x)))
    x = self.rblock1(x)
    x = F.relu(self.conv2(x))
    x = self.rblock2(x)
    return self.fc(x.view(x.size(0), -1))


ResNet.forward = _forward
