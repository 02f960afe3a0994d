"""evaluate averages per-batch accuracies: wrong when batches differ in size."""

import torch

CAUGHT_BY = ["test_evaluate_counts_every_sample"]


def evaluate(model, batches):
    model.eval()
    accs = []
    with torch.no_grad():
        for X, y in batches:
            accs.append((model(X).argmax(dim=1) == y).float().mean().item())
    return sum(accs) / len(accs)
