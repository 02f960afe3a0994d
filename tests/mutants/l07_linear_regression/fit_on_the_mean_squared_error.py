"""fit_linear_model keeps MSELoss's default mean instead of reduction='sum'."""

import torch
from torch import nn

CAUGHT_BY = [
    "test_fit_linear_model_takes_sgd_steps_on_the_summed_squared_error",
    "test_fit_linear_model_predicts_8_for_x_4_on_the_seed_data",
]


def fit_linear_model(x, y, epochs=1000, lr=0.01, model=None):
    model = LinearModel() if model is None else model
    criterion = nn.MSELoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    for _ in range(epochs):
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return model
