"""evaluate forgets model.eval(): dropout stays on while measuring."""

import torch

CAUGHT_BY = ["test_evaluate_counts_every_sample_in_eval_mode"]


def evaluate(model, batches):
    correct = total = 0
    with torch.no_grad():
        for X, y in batches:
            correct += (model(X).argmax(dim=1) == y).sum().item()
            total += len(y)
    return correct / total
