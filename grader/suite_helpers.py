"""Small helpers several hidden suites share (trusted side): seeded inputs,
reading a number the student's code returned, running a driver whose known
error texts get a hint, and the pickle that proves a load runs code."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch

from grader.check import describe, expect, fail
from grader.sandbox.errors import StudentError


def randn(*shape: int, seed: int = 0, dtype: torch.dtype = torch.float64) -> torch.Tensor:
    """A seeded standard-normal tensor of ``shape`` (float64 unless ``dtype``)."""
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed), dtype=dtype)


def as_float(value: Any, what: str) -> float:
    """``value`` as a Python float: a Python int or float (not a bool) or a
    one-element tensor is accepted; anything else fails the check, naming
    what ``what`` was instead."""
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    scalar = isinstance(value, torch.Tensor) and value.numel() == 1
    expect(number or scalar, f"{what} should be a number, got {describe(value)}")
    return float(value)


def run_with_hints(
    student: Any, function: Callable, known_errors: dict[str, str], time_limit: float, **kwargs: Any
) -> Any:
    """``student.run_driver(function, ...)``; when the student's code raises an
    error whose text contains a key of ``known_errors``, the check fails with
    that error and the matching hint (plain text) naming its usual cause."""
    try:
        return student.run_driver(function, time_limit=time_limit, **kwargs)
    except StudentError as exc:
        for text, hint in known_errors.items():
            if text in str(exc):
                fail(str(exc), hint)
        raise


class RunsCode:
    """Pickles as a call of ``open(path, "w")``: what a malicious weights file
    does, made harmless. A file holding it proves that a full unpickle of the
    file runs code (the grader itself never unpickles it: the mutants in
    tests/mutants that load with weights_only=False show it)."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self) -> tuple:
        return open, (self.path, "w")
