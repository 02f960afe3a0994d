"""Correct code written d2l's way (train_epoch_ch3: the summed loss over the
number of samples): the mean over samples, not over batches. Both are the
epoch's mean loss, so it must pass (issue 21)."""

CAUGHT_BY = []


def train_epoch(model, batches, optimizer):
    model.train()
    criterion = nn.CrossEntropyLoss()
    total, count = 0.0, 0
    for X, y in batches:
        optimizer.zero_grad()
        loss = criterion(model(X), y)
        loss.backward()
        optimizer.step()
        total += loss.item() * y.numel()
        count += y.numel()
    return total / count
