"""Net skips the 128->64 layer: 784-512-256-128-10."""

import torch
from torch import nn

CAUGHT_BY = ["test_net_has_the_784_512_256_128_64_10_layers"]


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.l1, self.l2 = nn.Linear(784, 512), nn.Linear(512, 256)
        self.l3, self.l4 = nn.Linear(256, 128), nn.Linear(128, 10)

    def forward(self, x):
        x = x.view(-1, 784)
        for layer in (self.l1, self.l2, self.l3):
            x = torch.relu(layer(x))
        return self.l4(x)
