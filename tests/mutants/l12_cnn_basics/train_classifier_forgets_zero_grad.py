"""train_classifier never zeroes the gradients: they pile up across batches."""

CAUGHT_BY = [
    "test_train_classifier_steps_once_per_batch_in_every_epoch",
    "test_train_classifier_returns_the_mean_batch_loss_of_each_epoch",
]


def train_classifier(model, batches, epochs, optimizer, device="cpu"):
    model.to(device)
    criterion = nn.CrossEntropyLoss()
    history = []
    for _ in range(epochs):
        model.train()
        losses = []
        for X, y in batches:
            X, y = X.to(device), y.to(device)
            loss = criterion(model(X), y)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        history.append(sum(losses) / len(losses))
    return history
