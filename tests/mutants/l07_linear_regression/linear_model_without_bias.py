"""LinearModel builds nn.Linear(1, 1, bias=False): y_hat = w x, no b."""

from torch import nn

CAUGHT_BY = ["test_linear_model_is_one_linear_layer_from_1_to_1"]


class LinearModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(1, 1, bias=False)

    def forward(self, x):
        return self.linear(x)
