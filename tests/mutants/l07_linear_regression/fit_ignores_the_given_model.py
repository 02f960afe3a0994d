"""fit_linear_model always trains a new LinearModel, ignoring the one it is given."""

import torch
from torch import nn

CAUGHT_BY = ["test_fit_linear_model_takes_sgd_steps_on_the_summed_squared_error"]


def fit_linear_model(x, y, epochs=1000, lr=0.01, model=None):
    model = LinearModel()
    criterion = nn.MSELoss(reduction="sum")
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    for _ in range(epochs):
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return model
