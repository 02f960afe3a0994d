"""DiabetesModel goes 8 -> 6 -> 1, without the 6 -> 4 layer."""

import torch
from torch import nn

CAUGHT_BY = ["test_model_has_the_8_6_4_1_layers"]


class DiabetesModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear1, self.linear2 = nn.Linear(8, 6), nn.Linear(6, 1)

    def forward(self, x):
        return torch.sigmoid(self.linear2(torch.sigmoid(self.linear1(x))))
