"""Runs inside the sandbox: reads the diabetes data with the student's
Dataset, batches it with the student's DataLoader and trains the student's
model with the student's loop; returns plain results."""

from __future__ import annotations

import numpy as np
import torch
from torch import nn
from torch.utils.data import Subset

from grader.drivers.common import students_turn


def describe_dataset(student, path: str, indices: list[int]) -> dict:
    """The length of ``DiabetesDataset(path)`` and its items at ``indices``."""
    with students_turn():
        dataset = student.DiabetesDataset(path)
        return {"len": len(dataset), "items": [tuple(dataset[i]) for i in indices]}


def loader_batches(student, path: str, batch_size: int, shuffle: bool, seed: int) -> list:
    """One pass of ``make_loader(DiabetesDataset(path), batch_size, shuffle)``: its batches."""
    with students_turn():
        loader = student.make_loader(student.DiabetesDataset(path), batch_size, shuffle)
        return [tuple(batch) for batch in loader]


def output_of_a_constant_last_layer(student, x: torch.Tensor, bias: float) -> torch.Tensor:
    """``DiabetesModel()(x)`` with the last layer's weight (1, k) set to zero and
    its bias (1,) to ``bias``: whatever the hidden layers compute, a model that
    ends with a sigmoid then outputs sigmoid(bias) for every row. The last layer
    is found by its one output, so any names, activations and widths work."""
    with students_turn():
        model = student.DiabetesModel()
        with torch.no_grad():
            for parameter in model.parameters():
                if parameter.dim() == 2 and parameter.shape[0] == 1:
                    parameter.zero_()
                elif parameter.shape == (1,):
                    parameter.fill_(bias)
        return model(x)


def train_steps(student, weight, bias, batches: list, epochs: int, lr: float) -> dict:
    """``train_diabetes`` on a float64 Linear(8, 1) + Sigmoid that starts at
    (weight, bias), so that the grader can replay every step."""
    linear = nn.Linear(8, 1).double()
    with torch.no_grad():
        linear.weight.copy_(weight)
        linear.bias.copy_(bias)
    with students_turn():
        student.train_diabetes(nn.Sequential(linear, nn.Sigmoid()), batches, epochs, lr)
        return {"weight": linear.weight, "bias": linear.bias}


def train_and_predict(
    student, path: str, train_rows: list[int], test_rows: list[int], epochs: int, lr: float, batch_size: int, seed: int
) -> torch.Tensor:
    """Train ``DiabetesModel`` on the ``train_rows`` of the student's dataset
    through the student's loader and loop; return its probabilities for the
    ``test_rows`` (features read here, not through the student's dataset):
    (len(test_rows),) float."""
    with students_turn():
        dataset = student.DiabetesDataset(path)
        loader = student.make_loader(Subset(dataset, train_rows), batch_size, True)
        model = student.DiabetesModel()
        student.train_diabetes(model, loader, epochs, lr)
        features = torch.from_numpy(np.loadtxt(path, delimiter=",", dtype=np.float32)[test_rows, :-1])
        model.eval()
        with torch.no_grad():
            return model(features).reshape(-1)
