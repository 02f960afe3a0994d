"""Nothing for nothing (issue 24): a submission that holds no working code
scores 0 in every lesson of the registry, so a new lesson is covered without
new code. The five hollow kinds are in ``tests/mutants/families.py``; none of
them trains, so grading them is cheap even with the training checks left in.

A check that passes here proves nothing about working code: it accepts a
refusal, an unchanged input or a silent call without ever seeing the function
work. Fix the check (let it also call the function on valid input), never the
submission."""

from __future__ import annotations

import pytest
from conftest import grade
from mutants.families import HOLLOW

from grader.lessons import LESSONS


@pytest.mark.parametrize("kind", sorted(HOLLOW))
def test_a_hollow_submission_scores_0_in_every_lesson(kind, tmp_path):
    folder = tmp_path / kind
    folder.mkdir()
    for lesson in LESSONS:
        text = HOLLOW[kind](lesson.id)
        if text is not None:
            (folder / f"{lesson.id}.py").write_text(text, encoding="utf-8")
    graded = grade(*(lesson.id for lesson in LESSONS), "--submission", str(folder), tmp_path=tmp_path)
    assert graded.report is not None, graded.stderr
    scored = [
        f"{lesson['lesson']}::{check['check']} ({check['score']} points)"
        for lesson in graded.report["lessons"]
        for check in lesson["checks"]
        if check["score"]
    ]
    assert not scored, f"the {kind} submission scores in: {scored}"
    assert [lesson["lesson"] for lesson in graded.report["lessons"]] == [lesson.id for lesson in LESSONS]
