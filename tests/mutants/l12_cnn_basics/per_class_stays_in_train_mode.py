"""per_class_accuracy forgets model.eval(): dropout stays on while evaluating."""

CAUGHT_BY = ["test_per_class_accuracy_divides_by_the_samples_of_each_class"]
MESSAGE_HOLDS = ["ran the model in train mode", "model.eval()"]  # the failure message names what is wrong


def per_class_accuracy(model, batches, num_classes):
    correct = torch.zeros(num_classes)
    total = torch.zeros(num_classes)
    with torch.no_grad():
        for X, y in batches:
            predicted = model(X).argmax(dim=1)
            total += torch.bincount(y, minlength=num_classes)
            correct += torch.bincount(y[predicted == y], minlength=num_classes)
    return correct / total
