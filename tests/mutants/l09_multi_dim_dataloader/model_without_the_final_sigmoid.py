"""DiabetesModel ends with the last Linear layer: logits, not probabilities."""

import torch
from torch import nn

CAUGHT_BY = [
    "test_model_maps_8_features_to_a_probability_per_row",
    "test_model_reaches_70_percent_held_out_accuracy_on_diabetes",
]


class DiabetesModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear1, self.linear2, self.linear3 = nn.Linear(8, 6), nn.Linear(6, 4), nn.Linear(4, 1)

    def forward(self, x):
        return self.linear3(torch.sigmoid(self.linear2(torch.sigmoid(self.linear1(x)))))
