"""data_iter shuffles features and labels with two different permutations:
each sample gets another sample's label."""

import torch

CAUGHT_BY = [
    "test_data_iter_yields_every_sample_once_in_batches_with_a_smaller_last_one",
    "test_training_from_scratch_recovers_w_and_b_in_3_epochs",
]


def data_iter(batch_size, features, labels):
    features, labels = features[torch.randperm(len(features))], labels[torch.randperm(len(labels))]
    for i in range(0, len(features), batch_size):
        yield features[i : i + batch_size], labels[i : i + batch_size]
