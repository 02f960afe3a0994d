"""Net feeds (N, 1, 28, 28) straight into Linear(784, ...) without flattening."""

import torch

CAUGHT_BY = ["test_net_maps_images_to_10_logits_per_image"]


def _forward(self, x):
    for layer in (self.l1, self.l2, self.l3, self.l4):
        x = torch.relu(layer(x))
    return self.l5(x)


Net.forward = _forward
