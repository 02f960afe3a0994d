"""train_classifier reports each epoch's last batch loss instead of the mean."""

CAUGHT_BY = ["test_train_classifier_returns_the_mean_batch_loss_of_each_epoch"]


def train_classifier(model, batches, epochs, optimizer, device="cpu"):
    model.to(device)
    criterion = nn.CrossEntropyLoss()
    history = []
    for _ in range(epochs):
        model.train()
        for X, y in batches:
            X, y = X.to(device), y.to(device)
            optimizer.zero_grad()
            loss = criterion(model(X), y)
            loss.backward()
            optimizer.step()
        history.append(loss.item())
    return history
