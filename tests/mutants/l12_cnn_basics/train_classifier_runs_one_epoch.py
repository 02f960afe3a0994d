"""train_classifier ignores ``epochs`` and makes a single pass."""

CAUGHT_BY = [
    "test_train_classifier_steps_once_per_batch_in_every_epoch",
    "test_train_classifier_returns_the_mean_batch_loss_of_each_epoch",
]
_train_classifier = train_classifier


def train_classifier(model, batches, epochs, optimizer, device="cpu"):
    return _train_classifier(model, batches, 1, optimizer, device)
