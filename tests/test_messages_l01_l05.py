"""Issue 21: where a mutant of lessons 01-05 fails for a reason a teacher would
name differently than the generic comparison, the failure message names what
is wrong. Each case grades one mutant on the one check that catches it and
reads that check's message."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import submission
from test_mutants import caught_by

MUTANTS = Path(__file__).parent / "mutants"

# (lesson, mutant, words its check's message must hold)
CASES = [
    ("l02_data_as_tensors", "image_to_chw_transposes_in_place", "changed the caller's image in place"),
    ("l02_data_as_tensors", "char_one_hot_strips_the_line", "starts with a space"),
    ("l04_linear_model", "mse_surface_divides_by_3", "the mean should divide by the number of samples"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("lesson", "mutant", "words"), CASES, ids=[case[1] for case in CASES])
def test_the_failure_message_names_what_is_wrong(lesson, mutant, words, tmp_path, grade_cli):
    path = MUTANTS / lesson / f"{mutant}.py"
    (check,) = caught_by(path)
    graded = grade_cli(lesson, "--submission", str(submission(tmp_path, lesson, path.read_text())), "-k", check)
    message = graded.checks()[check]["message"]
    assert words in message, message
    assert "copied" not in message and "keeps the shape" not in message, message
