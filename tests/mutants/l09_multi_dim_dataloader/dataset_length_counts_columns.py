"""__len__ returns xy.shape[1], the number of columns, instead of the number of rows."""

import numpy as np
import torch
from torch.utils.data import Dataset

CAUGHT_BY = [
    "test_dataset_has_759_rows",
    "test_loader_of_a_10_row_file_gives_batches_of_4_4_2_with_every_row_once",
    "test_loader_shuffles_only_when_asked",
]


class DiabetesDataset(Dataset):
    def __init__(self, path):
        xy = np.loadtxt(path, delimiter=",", dtype=np.float32)
        self.len = xy.shape[1]
        self.x, self.y = torch.from_numpy(xy[:, :-1]), torch.from_numpy(xy[:, [-1]])

    def __len__(self):
        return self.len

    def __getitem__(self, index):
        return self.x[index], self.y[index]
