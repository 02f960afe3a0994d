"""data_iter stops before a batch that would be smaller than batch_size."""

import random

import torch

CAUGHT_BY = ["test_data_iter_yields_every_sample_once_in_batches_with_a_smaller_last_one"]


def data_iter(batch_size, features, labels):
    indices = list(range(len(features)))
    random.shuffle(indices)
    for i in range(0, len(features) - batch_size + 1, batch_size):
        batch = torch.tensor(indices[i : i + batch_size])
        yield features[batch], labels[batch]
