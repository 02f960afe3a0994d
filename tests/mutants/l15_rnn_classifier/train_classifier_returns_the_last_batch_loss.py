"""train_classifier returns the loss of each epoch's last batch instead of the
mean over its batches: it trains the same, but reports a noisier number."""

import torch
from torch import nn

CAUGHT_BY = ["test_train_classifier_steps_once_per_batch_and_returns_each_epochs_mean_loss"]


def train_classifier(model, dataset, *, epochs, batch_size, lr, generator=None):
    loader = torch.utils.data.DataLoader(dataset, batch_size=batch_size, shuffle=True, generator=generator)
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    model.train()
    history = []
    for _ in range(epochs):
        for names, countries in loader:
            padded, lengths, targets = make_batch(names, countries)
            optimizer.zero_grad()
            loss = criterion(model(padded, lengths), targets)
            loss.backward()
            optimizer.step()
        history.append(loss.item())
    return history
