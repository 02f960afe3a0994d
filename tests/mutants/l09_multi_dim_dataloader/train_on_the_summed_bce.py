"""train_diabetes uses BCELoss(reduction='sum'): steps grow with the batch size."""

import torch
from torch import nn

CAUGHT_BY = ["test_train_diabetes_takes_one_sgd_step_per_batch_on_the_mean_bce"]


def train_diabetes(model, loader, epochs=100, lr=0.1):
    criterion = nn.BCELoss(reduction="sum")
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    for _ in range(epochs):
        for x, y in loader:
            loss = criterion(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
