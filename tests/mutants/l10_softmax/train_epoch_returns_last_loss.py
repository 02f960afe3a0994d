"""train_epoch returns the last batch's loss instead of the mean."""

from torch import nn

CAUGHT_BY = ["test_train_epoch_returns_the_mean_loss"]


def train_epoch(model, batches, optimizer):
    criterion = nn.CrossEntropyLoss()
    for X, y in batches:
        optimizer.zero_grad()
        loss = criterion(model(X), y)
        loss.backward()
        optimizer.step()
    return loss.item()
