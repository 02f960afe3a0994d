"""The one assertion vocabulary suites state verdicts with (grader/check.py)
and the shared suite helpers (grader/suite_helpers.py)."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from grader.check import assert_close, expect, fail, with_default_hint, with_hint
from grader.suite_helpers import as_float, as_int, as_tuple, load_weights, randn


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
    number = "a float (a Python number or a one-element tensor)"
    assert failure(as_float, True, "w") == f"w should be {number}; it is a bool"
    assert failure(as_float, torch.ones(2), "w") == f"w should be {number}; it is a tensor (2,) float32"
    assert failure(as_float, None, "w") == f"w should be {number}; it is None"


def test_a_conversion_says_what_was_expected_and_what_came_back():
    """d2l's train_epoch returns (loss, accuracy): the check says so, not float()'s bare TypeError."""
    message = failure(as_float, (0.31, 0.9), "train_epoch", returns="the mean loss")
    assert message.startswith("train_epoch should return the mean loss as a float")
    assert message.endswith("; it returned a tuple of 2 (float, float)")
    assert failure(as_float, {"loss": 0.3}, "evaluate", returns="the accuracy").endswith(
        "it returned a dict with keys loss"
    )
    assert as_int(torch.tensor(3), "count") == 3 and as_int(7, "count") == 7
    assert failure(as_int, 2.5, "storage_index", returns="the index").endswith("; it returned a float")
    assert failure(as_int, torch.tensor(2.0), "count").endswith("; it is a tensor () float32")
    assert as_tuple([1.0, [2.0]], 2, "gradient_descent") == (1.0, [2.0])
    assert failure(as_tuple, 1.0, 2, "gradient_descent", returns="(w, history)") == (
        "gradient_descent should return (w, history) as a tuple of 2; it returned a float"
    )
    assert failure(as_tuple, (1, 2, 3, 4, 5, 6), 2, "f").endswith("it is a tuple of 6 (int, int, int, int, ...)")


def test_load_weights_names_the_weight_that_does_not_fit():
    """The grader loads the student's state dict into its own module: a shape that differs
    is named, instead of torch's "Error(s) in loading state_dict ... size mismatch"."""
    weights = nn.Linear(14, 18).state_dict()
    loaded = load_weights(nn.Linear(14, 18), weights, "RNNClassifier's fc")
    assert torch.equal(loaded.weight, weights["weight"])
    assert failure(load_weights, nn.Linear(7, 18), weights, "RNNClassifier's fc", hint="concatenate both") == (
        "RNNClassifier's fc: weight has shape (18, 14), expected (18, 7)\nhint: concatenate both"
    )
    assert (
        failure(load_weights, nn.Linear(7, 18), {"weight": weights["weight"]}, "fc") == "fc has no bias; it has weight"
    )
    extra = {**nn.Linear(7, 18).state_dict(), "scale": torch.ones(1)}
    assert failure(load_weights, nn.Linear(7, 18), extra, "fc") == "fc has scale, which Linear does not have"
    assert failure(load_weights, nn.Linear(7, 18), {"weight": 1, "bias": 2}, "fc") == (
        "fc: weight should be a tensor; it is an int"
    )
    assert (
        failure(load_weights, nn.Linear(7, 18), [1], "fc")
        == "fc should be a state dict (a dict of tensors); it is a list of 1 (int)"
    )


def test_randn_is_seeded_float64():
    assert randn(2, 3, seed=1).dtype == torch.float64
    assert torch.equal(randn(2, 3, seed=1), randn(2, 3, seed=1))
    assert not torch.equal(randn(2, 3, seed=1), randn(2, 3, seed=2))
