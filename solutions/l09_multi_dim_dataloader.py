"""Lesson 9 · 处理多维特征的输入 and 加载数据集: Dataset and DataLoader (Liu Er lectures 7-8).

The diabetes data (``diabetes.csv.gz``, from the PyTorchZeroToAll course):
759 rows of 8 features, already scaled to [-1, 1], and a 0/1 label in the
last column. Read it with

    xy = np.loadtxt(path, delimiter=",", dtype=np.float32)   # (759, 9); .gz is fine

and keep the label column two-dimensional: ``xy[:, [-1]]`` is (759, 1), the
shape of the model's output, while ``xy[:, -1]`` is (759,) and no longer
matches it. Keep everything float32 (``np.loadtxt`` gives float64 unless
told otherwise): BCELoss wants float labels, and int64 labels are for
CrossEntropyLoss.

With 8 features the model maps (N, 8) to (N, 1) through layers that shrink
the width, 8 -> 6 -> 4 -> 1, with a sigmoid after each (the lecture's
network; the last sigmoid makes the output a probability).

Mini-batches: a ``torch.utils.data.Dataset`` says how many samples there are
(``__len__``) and returns one (``__getitem__``); a ``DataLoader`` shuffles
the indices each epoch, fetches ``batch_size`` samples and stacks them into
batch tensors. Training is then two loops, over epochs and over the loader's
batches, with the usual forward, loss, zero_grad, backward, step inside.
(The lecture's ``num_workers=2`` loads batches in parallel processes; for 759
rows in memory the default 0 is faster.)

Some notes put ReLU after the two hidden layers instead (``self.activate =
torch.nn.ReLU()``) and keep the sigmoid after the last one, which is what
makes the output a probability; that network is fine here too.

A sigmoid network learns slowly at the lecture's lr = 0.1: after 100 epochs
it still predicts the majority class for every row (65.4% of the labels are
1). The grader trains yours at lr = 1.0 for 100 epochs and measures its
accuracy on rows it held out from training; both the sigmoid and the ReLU
network reach 70% there. A network this small can start with every hidden
ReLU silent for every input: it never learns and predicts one class for
every row. The grader then trains it once more from another seed.
"""

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset


class DiabetesDataset(Dataset):
    """The diabetes CSV as a map-style dataset.

    ``DiabetesDataset(path)`` reads the whole file (plain or .gz CSV, no
    header, 9 columns) once. ``len(ds)`` is its number of rows; ``ds[i]`` is
    row i as (x, y) with x: (8,) float32 features and y: (1,) float32 label,
    in the file's order.
    """

    def __init__(self, path: str) -> None:
        # BEGIN SOLUTION
        xy = np.loadtxt(path, delimiter=",", dtype=np.float32)
        self.x = torch.from_numpy(xy[:, :-1])
        self.y = torch.from_numpy(xy[:, [-1]])
        # END SOLUTION

    def __len__(self) -> int:
        # BEGIN SOLUTION
        return len(self.x)
        # END SOLUTION

    def __getitem__(self, index: int) -> tuple[torch.Tensor, torch.Tensor]:
        # BEGIN SOLUTION
        return self.x[index], self.y[index]
        # END SOLUTION


class DiabetesModel(nn.Module):
    """8 -> 6 -> 4 -> 1 ``nn.Linear`` layers with a sigmoid after each.

    Input: (N, 8) float32; output: (N, 1) float32 probabilities.
    """

    def __init__(self) -> None:
        super().__init__()
        # BEGIN SOLUTION
        self.linear1 = nn.Linear(8, 6)
        self.linear2 = nn.Linear(6, 4)
        self.linear3 = nn.Linear(4, 1)
        # END SOLUTION

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # BEGIN SOLUTION
        x = torch.sigmoid(self.linear1(x))
        x = torch.sigmoid(self.linear2(x))
        return torch.sigmoid(self.linear3(x))
        # END SOLUTION


def make_loader(dataset: Dataset, batch_size: int, shuffle: bool) -> DataLoader:
    """A ``DataLoader`` over ``dataset`` in batches of ``batch_size`` (the
    last one smaller when the sizes do not divide), shuffled each epoch when
    ``shuffle`` is true and in order otherwise."""
    # BEGIN SOLUTION
    return DataLoader(dataset, batch_size=batch_size, shuffle=shuffle)
    # END SOLUTION


def train_diabetes(model: nn.Module, loader, epochs: int = 100, lr: float = 0.1) -> None:
    """Mini-batch training: ``epochs`` passes over ``loader`` (an iterable of
    (x (B, 8), y (B, 1)) float batches), with ``nn.BCELoss()`` (the mean over
    the batch) and ``torch.optim.SGD(model.parameters(), lr=lr)``; for each
    batch forward, loss, zero_grad, backward, step. Trains ``model`` in place.
    """
    # BEGIN SOLUTION
    criterion = nn.BCELoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    model.train()
    for _ in range(epochs):
        for x, y in loader:
            loss = criterion(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    # END SOLUTION
