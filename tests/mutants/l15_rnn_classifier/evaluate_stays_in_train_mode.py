"""evaluate forgets model.eval(): dropout stays on while measuring."""

import torch

CAUGHT_BY = ["test_evaluate_counts_every_name_in_eval_mode"]
MESSAGE_HOLDS = ["evaluate ran the model in train mode", "model.eval()"]  # the failure message names what is wrong


def evaluate(model, dataset, batch_size=1024):
    correct = 0
    with torch.no_grad():
        for start in range(0, len(dataset), batch_size):
            names, countries = zip(*(dataset[i] for i in range(start, min(start + batch_size, len(dataset)))))
            padded, lengths, targets = make_batch(names, countries)
            correct += (model(padded, lengths).argmax(dim=1) == targets).sum().item()
    return correct / len(dataset)
