"""LogisticRegressionModel has no bias: p = sigmoid(w x) is 1/2 at x = 0 whatever w is."""

import torch
from torch import nn

CAUGHT_BY = [
    "test_logistic_model_is_a_sigmoid_over_one_linear_layer",
    "test_trained_model_passes_4_hours_and_fails_1_hour",
    "test_decision_boundary_is_where_p_is_one_half_between_2_and_4_hours",
]


class LogisticRegressionModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(1, 1, bias=False)

    def forward(self, x):
        return torch.sigmoid(self.linear(x))
