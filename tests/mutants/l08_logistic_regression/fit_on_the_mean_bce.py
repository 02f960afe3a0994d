"""fit_pass_fail keeps BCELoss's default mean instead of reduction='sum'."""

import torch
from torch import nn

CAUGHT_BY = ["test_fit_pass_fail_takes_sgd_steps_on_the_summed_bce"]


def fit_pass_fail(hours, passed, epochs=1000, lr=0.01, model=None):
    model = LogisticRegressionModel() if model is None else model
    criterion = nn.BCELoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    for _ in range(epochs):
        loss = criterion(model(hours), passed)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return model
