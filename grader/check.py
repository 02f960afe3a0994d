"""What hidden suites use to state a check: points, markers and assertions
whose failure messages speak in the student's terms (shape, max error, the
element that broke), never dumping long tensors.

One vocabulary: every verdict is ``expect``, ``fail`` or an ``assert_*``
helper, each taking the hint as plain text (``hint="..."``); the ``hint: ``
prefix is added in ``with_hint`` only. A failure without a hint shows the
check's last ``@hints`` entry (the plugin applies ``with_default_hint``)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, NoReturn

import pytest
import torch

from grader.sandbox.proxies import Remote

gpu = pytest.mark.gpu  # graded only where CUDA is available
public = pytest.mark.public  # students may run it (it ships in `practice release`); every other check is hidden
training = pytest.mark.training  # trains a model to a threshold (minutes): never public; `-m "not training"` skips it
# passes for any result of the right shape, dtype and type: the one kind of check that a constant result (zeros of
# the right shape) may pass; every other check must reject it (tests/mutants/families.py, the "constant" family)
shape_check = pytest.mark.shape_check

# (rtol, atol) by dtype, as torch.testing.assert_close uses them
TOLERANCES = {torch.float64: (1e-7, 1e-7), torch.float32: (1.3e-6, 1e-5)}


def points(n: int) -> pytest.MarkDecorator:
    """How many points a check is worth: ``@points(2)``."""
    return pytest.mark.points(n)


# The notes of the check running now: a store the plugin opens around each check's call
# (``collecting_notes``) and keeps on the pytest item. Outside a check there is none, so a
# note can never leak from one check into the next.
_running_notes: ContextVar[list[str] | None] = ContextVar("running_notes", default=None)


def note(text: str) -> None:
    """Show ``text`` on the check's line in the score table, also when it
    passes: ``accuracy 0.9812 (needs 0.97)``."""
    notes = _running_notes.get()
    if notes is None:
        raise RuntimeError("note() was called outside a check")
    notes.append(text)


@contextmanager
def collecting_notes() -> Iterator[list[str]]:
    """A fresh store for the notes of one check, filled by ``note`` while the block runs."""
    notes: list[str] = []
    token = _running_notes.set(notes)
    try:
        yield notes
    finally:
        _running_notes.reset(token)


def hints(*texts: str) -> pytest.MarkDecorator:
    """Hints ``practice hint LESSON CHECK`` reveals one at a time, from vague
    to specific: ``@hints("Which axis are the classes on?", "Subtract X.max(dim=1, keepdim=True)")``.
    Plain string literals only: the CLI reads them without importing the suite."""
    return pytest.mark.hints(*texts)


HINT_PREFIX = "hint: "  # the one place a failure's hint line is marked


def with_hint(message: str, hint: str) -> str:
    """The failure text a student sees: ``message``, then ``hint: <hint>`` on
    its own line when there is a hint (plain text, no prefix)."""
    return f"{message}\n{HINT_PREFIX}{hint}" if hint else message


def with_default_hint(message: str, hints: Sequence[str]) -> str:
    """``message`` with the check's last ``@hints`` entry (the most specific)
    as its hint line when the failure gave none."""
    if not hints or any(line.startswith(HINT_PREFIX) for line in message.splitlines()):
        return message
    return with_hint(message, hints[-1])


def hints_of(item: pytest.Item) -> tuple[str, ...]:
    """The ``@hints`` texts of a check (none when it has no marker)."""
    marker = item.get_closest_marker("hints")
    return tuple(marker.args) if marker else ()


def fail(message: str, hint: str = "") -> NoReturn:
    """Fail the check with ``message`` and a plain-text ``hint``; without one,
    the check's last ``@hints`` entry is shown."""
    raise AssertionError(with_hint(message, hint))


def expect(ok: bool, message: str, hint: str = "") -> None:
    """Fail the check with ``message`` (and ``hint``, plain text) unless ``ok``:
    ``expect(w.shape == (3,), f"w: got shape {w.shape}", hint="one weight per feature")``.
    The message is built before the test: one that reads what exists only on
    failure (the first bad index, a gradient that may be None) is written
    ``if bad: fail(...)`` instead."""
    if not ok:
        fail(message, hint)


def describe(value: Any) -> str:
    """A short description of a value: ``tensor (4, 8) float32`` or ``list``."""
    if isinstance(value, torch.Tensor):
        return f"tensor {tuple(value.shape)} {str(value.dtype).removeprefix('torch.')}"
    if isinstance(value, Remote):
        return repr(value)
    return type(value).__name__


def assert_tensor(value: Any, what: str, *, hint: str = "") -> torch.Tensor:
    """``value``, failing unless it is a tensor."""
    expect(isinstance(value, torch.Tensor), f"{what} should be a tensor, got {describe(value)}", hint)
    return value


def assert_shape(value: Any, shape: Sequence[int], what: str, *, hint: str = "") -> torch.Tensor:
    """``value``, failing unless it is a tensor of ``shape``."""
    value = assert_tensor(value, what, hint=hint)
    expect(tuple(value.shape) == tuple(shape), f"{what}: expected shape {tuple(shape)}, got {tuple(value.shape)}", hint)
    return value


def _first(mask: torch.Tensor) -> tuple[int, ...]:
    """Index of the first True element of ``mask``."""
    return tuple(int(i) for i in mask.nonzero()[0])


def assert_finite(actual: Any, what: str, *, hint: str = "") -> None:
    """Fail, naming the first NaN or inf, unless every element is finite."""
    actual = assert_tensor(actual, what)
    bad = ~torch.isfinite(actual)
    if bad.any():
        index = _first(bad)
        fail(
            f"{what} has {int(bad.sum())} NaN/inf values of {bad.numel()}; "
            f"first at {list(index)}: {actual[index].item()}",
            hint,
        )


def assert_close(
    actual: Any,
    expected: torch.Tensor,
    what: str = "result",
    *,
    rtol: float | None = None,
    atol: float | None = None,
    hint: str = "",
) -> None:
    """Fail with shape, count and first differing element unless ``actual``
    equals ``expected`` within tolerance (NaN never matches)."""
    assert_shape(actual, expected.shape, what)
    if expected.is_floating_point():
        expect(actual.is_floating_point(), f"{what}: expected floating point values, got {actual.dtype}")
        default_rtol, default_atol = TOLERANCES.get(expected.dtype, (1e-3, 1e-5))
        rtol = default_rtol if rtol is None else rtol
        atol = default_atol if atol is None else atol
        actual = actual.to(expected.dtype)
        bad = ~torch.isclose(actual, expected, rtol=rtol, atol=atol)
    else:
        bad = actual != expected
    if not bad.any():
        return
    index = _first(bad)
    error = (actual.double() - expected.double()).abs().nan_to_num(float("inf")).max().item()
    fail(
        f"{what} differs at {int(bad.sum())} of {bad.numel()} elements; first at {list(index)}: "
        f"got {actual[index].item():.6g}, expected {expected[index].item():.6g} (max error {error:.3g})",
        hint,
    )


def accuracy(predictions: Any, labels: torch.Tensor) -> float:
    """Fraction of ``predictions`` ((N,) int class indices) equal to ``labels`` ((N,) int)."""
    assert_shape(predictions, labels.shape, "predictions")
    expect(not predictions.is_floating_point(), f"predictions should be class indices, got {predictions.dtype}")
    return (predictions == labels).double().mean().item()


def assert_accuracy(predictions: Any, labels: torch.Tensor, threshold: float, what: str, *, hint: str = "") -> None:
    """Fail unless ``predictions`` match ``labels`` on at least ``threshold`` of the samples."""
    acc = accuracy(predictions, labels)
    note(f"accuracy {acc:.4f} (needs {threshold:.2f})")
    expect(acc >= threshold, f"{what}: accuracy {acc:.4f}, needs at least {threshold:.2f}", hint)
