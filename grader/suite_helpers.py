"""Small helpers several hidden suites share (trusted side): seeded inputs,
turning what the student's code returned into what the grader computes with
(``as_float``, ``as_int``, ``as_tuple``, ``load_weights``: a value of the wrong
kind fails the check with "X should return ... as a float; it returned a tuple
of 2", never with the grader's own TypeError), running a driver whose known
error texts get a hint, and the pickle that proves a load runs code."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
from torch import nn

from grader.check import describe, expect, fail
from grader.sandbox.errors import StudentError


def randn(*shape: int, seed: int = 0, dtype: torch.dtype = torch.float64) -> torch.Tensor:
    """A seeded standard-normal tensor of ``shape`` (float64 unless ``dtype``)."""
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed), dtype=dtype)


def what_came_back(value: Any) -> str:
    """``value`` as a sentence names it: ``a tuple of 2 (float, float)``, ``a tensor
    (4, 8) float32``, ``None``, ``a dict with keys loss, accuracy``."""
    if value is None:
        return "None"
    if isinstance(value, (tuple, list)):
        kinds = ", ".join(describe(item) for item in value[:4]) + (", ..." if len(value) > 4 else "")
        return f"a {type(value).__name__} of {len(value)}" + (f" ({kinds})" if value else "")
    if isinstance(value, dict):
        keys = ", ".join(map(str, list(value)[:6])) + (", ..." if len(value) > 6 else "")
        return f"a dict with keys {keys}" if value else "an empty dict"
    described = describe(value)
    return f"an {described}" if described[0] in "aeiou" else f"a {described}"


def expected_but(what: str, returns: str, expected: str, value: Any) -> str:
    """The failure sentence of a conversion: ``train_epoch should return the mean loss
    as a float; it returned a tuple of 2 (float, float)`` when ``returns`` names what
    ``what`` (a function) returns, else ``precision should be a float; it is None``."""
    if returns:
        return f"{what} should return {returns} as {expected}; it returned {what_came_back(value)}"
    return f"{what} should be {expected}; it is {what_came_back(value)}"


def as_float(value: Any, what: str, *, returns: str = "") -> float:
    """``value`` as a Python float: a Python int or float (not a bool) or a
    one-element tensor is accepted; anything else fails the check, saying what
    was expected and what came back (``expected_but``). ``what`` names the value
    or, with ``returns``, the function it came from:
    ``as_float(out["loss"], "train_epoch", returns="the mean loss")``."""
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    scalar = (
        isinstance(value, torch.Tensor) and value.numel() == 1 and value.dtype != torch.bool and not value.is_complex()
    )
    expect(number or scalar, expected_but(what, returns, "a float (a Python number or a one-element tensor)", value))
    return float(value)


def as_int(value: Any, what: str, *, returns: str = "") -> int:
    """``value`` as a Python int: a Python int (not a bool) or a one-element
    integer tensor; anything else (a float too) fails the check like ``as_float``."""
    number = isinstance(value, int) and not isinstance(value, bool)
    scalar = (
        isinstance(value, torch.Tensor)
        and value.numel() == 1
        and not value.is_floating_point()
        and not value.is_complex()
        and value.dtype != torch.bool
    )
    expect(
        number or scalar, expected_but(what, returns, "an int (a Python int or a one-element integer tensor)", value)
    )
    return int(value)


def as_tuple(value: Any, length: int, what: str, *, returns: str = "") -> tuple:
    """``value`` as a tuple of ``length`` items (a list is accepted): what a function
    returning several things gave back, e.g. ``as_tuple(out, 2, "gradient_descent",
    returns="(w, history)")``; anything else fails the check like ``as_float``."""
    ok = isinstance(value, (tuple, list)) and len(value) == length
    expect(ok, expected_but(what, returns, f"a tuple of {length}", value))
    return tuple(value)


def load_weights(module: nn.Module, weights: Any, what: str, *, hint: str = "") -> nn.Module:
    """``module`` (the grader's own, trusted) with ``weights`` (a state dict the
    student's code produced) loaded into it, after checking that they fit: a
    missing or extra name, a value that is not a tensor or a shape that differs
    fails the check naming it (``fc.weight has shape (18, 7), expected (18, 14)``),
    instead of torch's "Error(s) in loading state_dict" from the grader's side."""
    expect(
        isinstance(weights, dict),
        f"{what} should be a state dict (a dict of tensors); it is {what_came_back(weights)}",
        hint,
    )
    wanted = module.state_dict()
    missing = [name for name in wanted if name not in weights]
    expect(not missing, f"{what} has no {', '.join(missing)}; it has {', '.join(map(str, weights)) or 'nothing'}", hint)
    extra = [str(name) for name in weights if name not in wanted]
    expect(not extra, f"{what} has {', '.join(extra)}, which {type(module).__name__} does not have", hint)
    for name, expected in wanted.items():
        got = weights[name]
        expect(isinstance(got, torch.Tensor), f"{what}: {name} should be a tensor; it is {what_came_back(got)}", hint)
        expect(
            got.shape == expected.shape,
            f"{what}: {name} has shape {tuple(got.shape)}, expected {tuple(expected.shape)}",
            hint,
        )
    module.load_state_dict(weights)  # copies into the module's own tensors, in their dtype
    return module


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
