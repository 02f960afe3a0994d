"""per_class_accuracy divides each class's correct count by the number of all
samples instead of the samples of that class."""

CAUGHT_BY = ["test_per_class_accuracy_divides_by_the_samples_of_each_class"]


def per_class_accuracy(model, batches, num_classes):
    model.eval()
    correct = torch.zeros(num_classes)
    total = 0
    with torch.no_grad():
        for X, y in batches:
            predicted = model(X).argmax(dim=1)
            correct += torch.bincount(y[predicted == y], minlength=num_classes)
            total += len(y)
    return correct / total
