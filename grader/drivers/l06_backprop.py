"""Runs inside the sandbox: trains with the student's lesson-6 code and
reports what it returned, including the autograd flags a plain tensor
loses on its way to the grader."""

from __future__ import annotations

from typing import Any

import torch

from grader.drivers.common import students_turn


def _describe(value: Any) -> dict:
    if not isinstance(value, torch.Tensor):
        number = value if isinstance(value, (int, float)) else None
        return {"tensor": False, "type": type(value).__name__, "number": number}
    return {
        "tensor": True,
        "value": value.detach().clone(),
        "requires_grad": value.requires_grad,
        "is_leaf": value.is_leaf,
    }


def train_linear(student, xs, ys, w0: float, lr: float, epochs: int) -> dict:
    """The student's ``train_with_autograd``; its w described."""
    with students_turn():
        return _describe(student.train_with_autograd(xs, ys, w0, lr, epochs))


def train_quadratic(student, xs, ys, lr: float, epochs: int) -> list[dict] | dict:
    """The student's ``train_quadratic``; each returned parameter described."""
    with students_turn():
        out = student.train_quadratic(xs, ys, lr, epochs)
        if not isinstance(out, (tuple, list)):
            return _describe(out)
        return [_describe(p) for p in out]
