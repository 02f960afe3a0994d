"""make_batch sorts the names by length but leaves the targets in the original
order: every name is trained on another name's country."""

import torch

CAUGHT_BY = [
    "test_make_batch_pads_with_zeros_and_sorts_by_length_longest_first",
    "test_evaluate_counts_every_name_in_eval_mode",
    "test_train_classifier_steps_once_per_batch_and_returns_each_epochs_mean_loss",
    "test_classifier_reaches_80_percent_on_names_test",
]
_original = make_batch


def make_batch(names, countries):
    padded, lengths, _ = _original(names, countries)
    return padded, lengths, torch.as_tensor(countries, dtype=torch.long)
