"""Runs inside the sandbox: trains with the student's lesson-8 code and
returns plain results."""

from __future__ import annotations

import torch
from torch import nn

from grader.drivers.common import students_turn


def fit_steps(student, hours, passed, weight: float, bias: float, epochs: int, lr: float) -> dict:
    """``fit_pass_fail`` on a plain Linear + Sigmoid that starts at
    (weight, bias), so that the grader can replay every step."""
    linear = nn.Linear(1, 1)
    with torch.no_grad():
        linear.weight.fill_(weight)
        linear.bias.fill_(bias)
    model = nn.Sequential(linear, nn.Sigmoid())
    with students_turn():
        returned = student.fit_pass_fail(hours, passed, epochs=epochs, lr=lr, model=model)
        return {"weight": linear.weight.reshape(()), "bias": linear.bias.reshape(()), "same_model": returned is model}


def fit_and_predict(student, hours, passed, x_new, epochs: int, lr: float) -> torch.Tensor:
    """``fit_pass_fail`` from a fresh model; its probabilities for ``x_new``."""
    with students_turn():
        model = student.fit_pass_fail(hours, passed, epochs=epochs, lr=lr)
        with torch.no_grad():
            return model(x_new)


def boundaries(student, weight: float, bias: float, hours, passed, epochs: int, lr: float) -> dict:
    """The student's ``decision_boundary`` of a model set to (weight, bias),
    and of a trained model together with that model's p at the boundary."""
    with students_turn():
        model = student.LogisticRegressionModel()
        with torch.no_grad():
            model.linear.weight.fill_(weight)
            model.linear.bias.fill_(bias)
        known = student.decision_boundary(model)
        trained = student.fit_pass_fail(hours, passed, epochs=epochs, lr=lr)
        boundary = student.decision_boundary(trained)
        with torch.no_grad():
            p = trained(torch.tensor([[float(boundary)]])) if isinstance(boundary, (int, float)) else None
        return {"known": known, "trained": boundary, "p_at_trained": p}
