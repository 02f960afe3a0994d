"""Runs inside the sandbox: lesson-03 checks that hand the student's code a
Python function (which cannot cross the wire) or look at ``params.grad``
(which the wire drops)."""

from __future__ import annotations

from collections.abc import Callable

import torch

from grader.drivers.common import students_turn


def smooth_function(coefficients: dict) -> Callable[[torch.Tensor], torch.Tensor]:
    """A smooth scalar function of a vector x, fixed by ``coefficients``
    (tensors W (m, n), shift (m,), a (m,), c (n,)):
    f(x) = sum(a * sin(W x + shift)) + 0.1 sum(x^4) + sum(c * exp(0.3 x))."""
    W, shift, a, c = (coefficients[k] for k in ("W", "shift", "a", "c"))
    return lambda x: (a * torch.sin(W @ x + shift)).sum() + 0.1 * (x**4).sum() + (c * torch.exp(0.3 * x)).sum()


def numerical_grads(student, cases: list[dict], eps: float) -> list:
    """The student's ``numerical_grad`` of each case's smooth function at its x."""
    with students_turn():
        return [student.numerical_grad(smooth_function(case), case["x"], eps) for case in cases]


def autograd_loop_facts(
    student, n_epochs: int, learning_rate: float, params: torch.Tensor, t_u: torch.Tensor, t_c: torch.Tensor
) -> dict:
    """The student's ``autograd_training_loop``: the params it returns,
    whether that is the leaf it was given or else a fresh leaf that requires
    grad (the book's ``.detach().requires_grad_()`` idiom), and the gradient
    left in the leaf it was given."""
    params = params.detach().clone().requires_grad_(True)
    with students_turn():
        out = student.autograd_training_loop(n_epochs, learning_rate, params, t_u, t_c)
        is_tensor = isinstance(out, torch.Tensor)
        return {
            "params": out,
            "same_leaf": out is params,
            "trainable_leaf": is_tensor and out.is_leaf and out.requires_grad,
            "grad": params.grad,
        }
