"""evaluate averages the accuracies of the batches: wrong when the last batch is smaller."""

import torch

CAUGHT_BY = ["test_evaluate_counts_every_name_in_eval_mode"]


def evaluate(model, dataset, batch_size=1024):
    model.eval()
    accuracies = []
    with torch.no_grad():
        for start in range(0, len(dataset), batch_size):
            names, countries = zip(*(dataset[i] for i in range(start, min(start + batch_size, len(dataset)))))
            padded, lengths, targets = make_batch(names, countries)
            accuracies.append((model(padded, lengths).argmax(dim=1) == targets).float().mean().item())
    return sum(accuracies) / len(accuracies)
