"""DiabetesDataset takes xy[:, 1:] as features: it drops the first feature and feeds the label in
as a feature."""

import numpy as np
import torch
from torch.utils.data import Dataset

CAUGHT_BY = [
    "test_items_follow_the_file_order",
    "test_loader_of_a_10_row_file_gives_batches_of_4_4_2_with_every_row_once",
    "test_loader_shuffles_only_when_asked",
]


class DiabetesDataset(Dataset):
    def __init__(self, path):
        xy = np.loadtxt(path, delimiter=",", dtype=np.float32)
        self.x, self.y = torch.from_numpy(xy[:, 1:]), torch.from_numpy(xy[:, [-1]])

    def __len__(self):
        return len(self.x)

    def __getitem__(self, index):
        return self.x[index], self.y[index]
