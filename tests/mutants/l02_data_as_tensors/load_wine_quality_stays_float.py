"""load_wine leaves the quality as float32 instead of int64 labels."""

import numpy as np
import torch

CAUGHT_BY = ["test_load_wine_reads_4898_wines_with_11_features_and_the_quality"]


def load_wine(path):
    table = torch.from_numpy(np.loadtxt(path, dtype=np.float32, delimiter=";", skiprows=1))
    return table[:, :-1], table[:, -1]
