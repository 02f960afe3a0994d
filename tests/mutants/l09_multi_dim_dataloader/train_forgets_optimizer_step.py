"""train_diabetes computes the gradients but never calls optimizer.step(): nothing is learned."""

import torch
from torch import nn

CAUGHT_BY = [
    "test_train_diabetes_takes_one_sgd_step_per_batch_on_the_mean_bce",
    "test_model_reaches_70_percent_held_out_accuracy_on_diabetes",
]


def train_diabetes(model, loader, epochs=100, lr=0.1):
    criterion = nn.BCELoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    for _ in range(epochs):
        for x, y in loader:
            loss = criterion(model(x), y)
            optimizer.zero_grad()
            loss.backward()
