"""load_wine returns all 12 columns as features, the quality included."""

import numpy as np
import torch

CAUGHT_BY = ["test_load_wine_reads_4898_wines_with_11_features_and_the_quality"]


def load_wine(path):
    table = torch.from_numpy(np.loadtxt(path, dtype=np.float32, delimiter=";", skiprows=1))
    return table, table[:, -1].long()
