"""Runs inside the sandbox: trains and evaluates the student's lesson-10 code.

Each function returns plain data; the trusted suite compares it with what it
computes itself.
"""

from __future__ import annotations

import torch

from grader import data
from grader.drivers.common import (
    linear_classifier,
    make_optimizer,
    mnist_tensors,
    predict,
    report_training,
    set_lr,
    students_turn,
)


def train_epoch_on_linear(student, weight, bias, batches, lr: float) -> dict:
    """One epoch of the student's ``train_epoch`` on a linear model with SGD."""
    model = linear_classifier(weight, bias)
    with students_turn():
        loss = student.train_epoch(model, batches, torch.optim.SGD(model.parameters(), lr=lr))
        return {"loss": loss, "weight": model[1].weight, "bias": model[1].bias}


def evaluate_linear(student, weight, bias, batches) -> float:
    """The student's ``evaluate`` on a linear model without dropout: lesson 10
    does not teach eval mode (lesson 11 does, with dropout), so the result is
    the same in either mode."""
    with students_turn():
        return student.evaluate(linear_classifier(weight, bias), batches)


def train_mnist(
    student, *, optimizer: str, lrs: list[float], batch_size: int, seed: int, momentum: float = 0.0
) -> torch.Tensor:
    """Train the student's ``Net`` with the student's ``train_epoch`` on MNIST,
    one epoch per learning rate in ``lrs``; return its predicted classes for
    the 10,000 test images, (10000,) int64."""
    X, y, X_test = mnist_tensors()
    with students_turn():
        model = student.Net()
        opt = make_optimizer(optimizer, model, momentum)
        generator = torch.Generator().manual_seed(seed)
        for epoch, lr in enumerate(lrs, start=1):
            set_lr(opt, lr)
            loss = student.train_epoch(model, data.batches(X, y, batch_size, generator), opt)
            report_training(epoch, len(lrs), loss)
        return predict(model, X_test)
