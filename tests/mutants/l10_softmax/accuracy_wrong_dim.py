"""accuracy takes the argmax over the batch (dim=0) instead of the classes."""

CAUGHT_BY = ["test_accuracy_compares_the_argmax_of_each_row_with_the_label"]


def accuracy(logits, y):
    return (logits.argmax(dim=0) == y).float().mean().item()
