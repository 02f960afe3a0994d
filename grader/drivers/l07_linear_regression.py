"""Runs inside the sandbox: exercises the student's lesson-7 code (the
nn.Module recipe and the d2l pieces) and returns plain results."""

from __future__ import annotations

import torch
from torch import nn

from grader.drivers.common import students_turn


def fit_steps(student, x, y, weight: float, bias: float, epochs: int, lr: float) -> dict:
    """``fit_linear_model`` on a plain ``nn.Linear(1, 1)`` that starts at
    (weight, bias), so that the grader can replay every step."""
    model = nn.Linear(1, 1)
    with torch.no_grad():
        model.weight.fill_(weight)
        model.bias.fill_(bias)
    with students_turn():
        returned = student.fit_linear_model(x, y, epochs=epochs, lr=lr, model=model)
        return {"weight": model.weight.reshape(()), "bias": model.bias.reshape(()), "same_model": returned is model}


def fit_and_predict(student, x, y, x_new, epochs: int, lr: float) -> torch.Tensor:
    """``fit_linear_model`` from a fresh ``LinearModel``; its predictions for ``x_new``."""
    with students_turn():
        model = student.fit_linear_model(x, y, epochs=epochs, lr=lr)
        with torch.no_grad():
            return model(x_new)


def sgd_step(student, values: list, grads: list, lr: float, batch_size: int) -> dict:
    """One call of the student's ``sgd`` on fresh leaf parameters holding ``grads``;
    what became of those very tensor objects."""
    params = [v.clone().requires_grad_() for v in values]
    for p, g in zip(params, grads):
        p.grad = g.clone()
    with students_turn():
        student.sgd(params, lr, batch_size)
        return {
            "values": [p.detach().clone() for p in params],
            "grads": [None if p.grad is None else p.grad.clone() for p in params],
            "requires_grad": [p.requires_grad for p in params],
        }


def train_from_scratch(student, features, labels, lr: float, batch_size: int, epochs: int, seed: int) -> dict:
    """d2l 3.2's training loop built from the student's data_iter, linreg,
    squared_loss and sgd; the learned w (d,) and b (1,)."""
    w = torch.normal(0, 0.01, size=(features.shape[1], 1), requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    with students_turn():
        for _ in range(epochs):
            for X, y in student.data_iter(batch_size, features, labels):
                student.squared_loss(student.linreg(X, w, b), y).sum().backward()
                student.sgd([w, b], lr, batch_size)
        return {"w": w.detach().reshape(-1), "b": b.detach()}
