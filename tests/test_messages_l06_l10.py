"""Issue 21: where a mutant of lessons 06-10 is code written the notes' or
d2l's way that a check rejects, the failure message names what is wrong
rather than the grader's own error or a bare comparison. Each case grades
one mutant on the one check that catches it and reads that check's message."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import submission
from test_mutants import caught_by

MUTANTS = Path(__file__).parent / "mutants"

# (lesson, mutant, words its check's message must hold)
CASES = [
    ("l07_linear_regression", "squared_loss_without_reshape", "broadcasts to (3, 3)"),
    (
        "l10_softmax",
        "train_epoch_returns_loss_and_accuracy",
        "train_epoch should return the mean loss as a float (a Python number or a one-element tensor); "
        "it returned a tuple of 2",
    ),
]


@pytest.mark.slow
@pytest.mark.parametrize(("lesson", "mutant", "words"), CASES, ids=[case[1] for case in CASES])
def test_the_failure_message_names_what_is_wrong(lesson, mutant, words, tmp_path, grade_cli):
    path = MUTANTS / lesson / f"{mutant}.py"
    (check,) = caught_by(path)
    graded = grade_cli(lesson, "--submission", str(submission(tmp_path, lesson, path.read_text())), "-k", check)
    message = graded.checks()[check]["message"]
    assert words in message, message
    assert "TypeError" not in message, message
