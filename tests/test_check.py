"""The one assertion vocabulary suites state verdicts with (grader/check.py)
and the shared suite helpers (grader/suite_helpers.py)."""

from __future__ import annotations

import pytest
import torch

from grader.check import assert_close, expect, fail, with_default_hint, with_hint
from grader.suite_helpers import as_float, randn


def failure(call, *args, **kwargs) -> str:
    with pytest.raises(AssertionError) as caught:
        call(*args, **kwargs)
    return str(caught.value)


def test_every_helper_takes_a_plain_hint_and_prefixes_it_once():
    assert failure(expect, False, "w is wrong", hint="step against the gradient") == (
        "w is wrong\nhint: step against the gradient"
    )
    assert failure(fail, "w is wrong", hint="step against the gradient") == (
        "w is wrong\nhint: step against the gradient"
    )
    message = failure(assert_close, torch.zeros(2), torch.ones(2), "w", hint="step against the gradient")
    assert message.startswith("w differs at 2 of 2 elements") and message.endswith("\nhint: step against the gradient")
    assert failure(expect, False, "w is wrong") == "w is wrong"
    expect(True, "never shown", hint="never shown")


def test_a_failure_without_a_hint_gets_the_last_of_the_checks_hints():
    hints = ("vague", "specific")
    assert with_default_hint("w is wrong", hints) == with_hint("w is wrong", "specific") == "w is wrong\nhint: specific"
    assert with_default_hint("w is wrong\nhint: its own", hints) == "w is wrong\nhint: its own"
    assert with_default_hint("w is wrong", ()) == "w is wrong"


def test_as_float_accepts_numbers_and_one_element_tensors_only():
    assert as_float(2, "w") == 2.0 and as_float(torch.tensor([1.5]), "w") == 1.5
    assert failure(as_float, True, "w") == "w should be a number, got bool"
    assert failure(as_float, torch.ones(2), "w") == "w should be a number, got tensor (2,) float32"


def test_randn_is_seeded_float64():
    assert randn(2, 3, seed=1).dtype == torch.float64
    assert torch.equal(randn(2, 3, seed=1), randn(2, 3, seed=1))
    assert not torch.equal(randn(2, 3, seed=1), randn(2, 3, seed=2))
