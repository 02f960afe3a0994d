"""What hidden suites use to state a check: points, markers and assertions
whose failure messages speak in the student's terms (shape, max error, the
element that broke), never dumping long tensors."""

from __future__ import annotations

from typing import Any, NoReturn, Sequence

import pytest
import torch

from grader.sandbox.proxies import Remote

gpu = pytest.mark.gpu  # graded only where CUDA is available
public = pytest.mark.public  # students may run it (it ships in `practice release`); every other check is hidden
training = pytest.mark.training  # trains a model to a threshold (minutes): never public; `-m "not training"` skips it

# (rtol, atol) by dtype, as torch.testing.assert_close uses them
TOLERANCES = {torch.float64: (1e-7, 1e-7), torch.float32: (1.3e-6, 1e-5)}


def points(n: int) -> pytest.MarkDecorator:
    """How many points a check is worth: ``@points(2)``."""
    return pytest.mark.points(n)


_notes: list[str] = []  # what the running check reports even when it passes; the plugin takes them


def note(text: str) -> None:
    """Show ``text`` on the check's line in the score table, also when it
    passes: ``accuracy 0.9812 (needs 0.97)``."""
    _notes.append(text)


def take_notes() -> str:
    """The notes of the check that just ran (and forget them)."""
    text = "; ".join(_notes)
    _notes.clear()
    return text


def hints(*texts: str) -> pytest.MarkDecorator:
    """Hints ``practice hint LESSON CHECK`` reveals one at a time, from vague
    to specific: ``@hints("Which axis are the classes on?", "Subtract X.max(dim=1, keepdim=True)")``.
    Plain string literals only: the CLI reads them without importing the suite."""
    return pytest.mark.hints(*texts)


def hint(text: str) -> str:
    """A hint shown under a failed check: ``assert ok, hint("subtract the max")``."""
    return f"hint: {text}"


def expect(ok: bool, message: str, advice: str = "") -> None:
    """``assert ok, message`` plus a hint, without pytest re-indenting the hint line."""
    if not ok:
        raise AssertionError(f"{message}\n{hint(advice)}" if advice else message)


def describe(value: Any) -> str:
    """A short description of a value: ``tensor (4, 8) float32`` or ``list``."""
    if isinstance(value, torch.Tensor):
        return f"tensor {tuple(value.shape)} {str(value.dtype).removeprefix('torch.')}"
    if isinstance(value, Remote):
        return repr(value)
    return type(value).__name__


def assert_tensor(value: Any, what: str) -> torch.Tensor:
    assert isinstance(value, torch.Tensor), f"{what} should be a tensor, got {describe(value)}"
    return value


def assert_shape(value: Any, shape: Sequence[int], what: str) -> torch.Tensor:
    value = assert_tensor(value, what)
    assert tuple(value.shape) == tuple(shape), f"{what}: expected shape {tuple(shape)}, got {tuple(value.shape)}"
    return value


def _first(mask: torch.Tensor) -> tuple[int, ...]:
    """Index of the first True element of ``mask``."""
    return tuple(int(i) for i in mask.nonzero()[0])


def _fail(message: str, hint: str) -> NoReturn:
    raise AssertionError(f"{message}\n{hint}" if hint else message)


def assert_finite(actual: Any, what: str, *, hint: str = "") -> None:
    """Fail, naming the first NaN or inf, unless every element is finite."""
    actual = assert_tensor(actual, what)
    bad = ~torch.isfinite(actual)
    if bad.any():
        index = _first(bad)
        _fail(f"{what} has {int(bad.sum())} NaN/inf values of {bad.numel()}; "
              f"first at {list(index)}: {actual[index].item()}", hint)


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
        assert actual.is_floating_point(), f"{what}: expected floating point values, got {actual.dtype}"
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
    _fail(f"{what} differs at {int(bad.sum())} of {bad.numel()} elements; first at {list(index)}: "
          f"got {actual[index].item():.6g}, expected {expected[index].item():.6g} (max error {error:.3g})", hint)


def accuracy(predictions: Any, labels: torch.Tensor) -> float:
    """Fraction of ``predictions`` ((N,) int class indices) equal to ``labels`` ((N,) int)."""
    assert_shape(predictions, labels.shape, "predictions")
    assert not predictions.is_floating_point(), f"predictions should be class indices, got {predictions.dtype}"
    return (predictions == labels).double().mean().item()


def assert_accuracy(predictions: Any, labels: torch.Tensor, threshold: float, what: str) -> None:
    acc = accuracy(predictions, labels)
    note(f"accuracy {acc:.4f} (needs {threshold:.2f})")
    assert acc >= threshold, f"{what}: accuracy {acc:.4f}, needs at least {threshold:.2f}"
