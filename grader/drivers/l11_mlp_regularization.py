"""Runs inside the sandbox: exercises the student's lesson-11 code where one
call from the suite is not enough (several calls that must draw different
random masks, in-place updates, training on Fashion-MNIST).

Each function returns plain data; the trusted suite compares it with what it
computes itself.
"""

from __future__ import annotations

import torch
from torch import nn

from grader import data
from grader.drivers.common import fit, image_tensors, make_optimizer, predict, report_training, set_lr, students_turn


def init_mlp(student, *, num_inputs: int, num_hiddens: int, num_outputs: int) -> dict:
    """The student's ``init_mlp_params`` and, per tensor, whether an optimizer
    could update it (a leaf that requires grad)."""
    with students_turn():
        params = list(student.init_mlp_params(num_inputs, num_hiddens, num_outputs))
        return {
            "params": [p if isinstance(p, torch.Tensor) else repr(p) for p in params],
            "trainable": [isinstance(p, torch.Tensor) and p.is_leaf and p.requires_grad for p in params],
        }


def train_scratch_mlp(student, *, lrs: list[float], batch_size: int, seed: int, num_hiddens: int = 256) -> torch.Tensor:
    """d2l's scratch MLP on Fashion-MNIST: the student's ``init_mlp_params``
    and ``mlp_forward``, SGD on the mean cross-entropy, one epoch per learning
    rate. Returns the predicted classes of the 10,000 test images, (10000,) int64."""
    X, y, X_test = image_tensors("fashion_mnist")
    with students_turn():
        params = list(student.init_mlp_params(784, num_hiddens, 10))
        optimizer = torch.optim.SGD(params, lr=0.0)
        criterion = nn.CrossEntropyLoss()
        generator = torch.Generator().manual_seed(seed)
        for epoch, lr in enumerate(lrs, start=1):
            set_lr(optimizer, lr)
            for Xb, yb in data.batches(X, y, batch_size, generator):
                optimizer.zero_grad()
                loss = criterion(student.mlp_forward(Xb, params), yb)
                loss.backward()
                optimizer.step()
            report_training(epoch, len(lrs), loss.item())
        with torch.no_grad():
            return torch.cat(
                [student.mlp_forward(X_test[i : i + 1000], params).argmax(dim=1) for i in range(0, len(X_test), 1000)]
            )


def dropout_twice(student, *, X: torch.Tensor, dropout: float) -> list[torch.Tensor]:
    """Two consecutive calls of ``dropout_layer`` on the same input."""
    with students_turn():
        return [student.dropout_layer(X, dropout), student.dropout_layer(X, dropout)]


def dropout_on(student, *, X: torch.Tensor, dropout: float, device: str) -> dict:
    """``dropout_layer`` applied to X moved to ``device``: the result (back on
    the CPU) and the device it had."""
    with students_turn():
        out = student.dropout_layer(X.to(device), dropout)
        return {"out": out.cpu(), "device": str(out.device)}


def dropout_mlp_outputs(student, *, X: torch.Tensor, sizes: tuple, dropouts: tuple, train: bool) -> dict:
    """A fresh ``DropoutMLP(*sizes, *dropouts)`` in train or eval mode, called
    twice on X (float64): both outputs and the weights it used."""
    with students_turn():
        model = student.DropoutMLP(*sizes, *dropouts).double()
        model.train(train)
        outputs = [model(X), model(X)]
        return {"outputs": outputs, "state_dict": dict(model.state_dict())}


def train_dropout_mlp(
    student, *, sizes: tuple, dropouts: tuple, lrs: list[float], batch_size: int, seed: int
) -> torch.Tensor:
    """The student's ``DropoutMLP`` trained on Fashion-MNIST with SGD (train
    mode), evaluated in eval mode: (10000,) int64 test-set classes."""
    X, y, X_test = image_tensors("fashion_mnist")
    with students_turn():
        model = student.DropoutMLP(*sizes, *dropouts)
        generator = torch.Generator().manual_seed(seed)
        fit(model, lambda: data.batches(X, y, batch_size, generator), make_optimizer("sgd", model), lrs)
        return predict(model, X_test)


def xavier_in_place(student, *, fan_in: int, fan_out: int) -> dict:
    """``xavier_uniform_`` on the weight of a fresh ``nn.Linear(fan_in, fan_out)``
    (a parameter that requires grad): was it filled in place, returned, and is
    it still a trainable leaf?"""
    layer = nn.Linear(fan_in, fan_out)
    before = layer.weight.detach().clone()
    with students_turn():
        returned = student.xavier_uniform_(layer.weight)
        weight = layer.weight
        return {
            "before": before,
            "weight": weight.detach().clone(),
            "returned_the_weight": returned is weight,
            "trainable": weight.is_leaf and weight.requires_grad,
        }
