"""Correct code that must pass (CAUGHT_BY = []): Liu Er's test() turned into
``evaluate``, with no ``model.eval()``. Lesson 10's Net has no dropout or
batch norm, so training mode changes nothing; eval mode is taught and
required from lesson 11 (issue 21)."""

import torch

CAUGHT_BY = []


def evaluate(model, batches):
    correct = 0
    total = 0
    with torch.no_grad():
        for data in batches:
            images, labels = data
            outputs = model(images)
            _, predicted = torch.max(outputs.data, dim=1)
            total += labels.size(0)
            correct += (predicted == labels).sum().item()
    return correct / total
