"""train_classifier never moves the model or the batches: everything stays on the CPU."""

CAUGHT_BY = ["test_lenet_trained_on_cuda_reaches_55_percent_and_stays_on_the_gpu"]
_train_classifier = train_classifier


def train_classifier(model, batches, epochs, optimizer, device="cpu"):
    return _train_classifier(model, batches, epochs, optimizer, "cpu")
