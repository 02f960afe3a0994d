"""How a check's outcome becomes its status and `practice grade`'s exit status:
a student's mistake fails the check, a grader fault (``GraderFault``, a fixture
that broke) is the grader's error and exits 3, a check that cannot run here is
"not graded" (a failure with --strict). Fast: a planted suite, no lesson."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest
from conftest import ROOT

from grader import check, data
from grader.plugin import NotGraded, failure_message, status_of
from grader.report import HIDDEN_VISIBILITIES, CheckResult, Status, by_lesson, exit_status, table, to_gradescope
from grader.sandbox.errors import GraderFault, StudentError


def result(status: Status) -> CheckResult:
    return CheckResult("l04_linear_model", "test_forward", 1, status)


def test_one_grader_error_makes_the_exit_status_3_whatever_else_happened():
    assert exit_status([result(Status.PASSED), result(Status.NOT_GRADED)]) == 0
    assert exit_status([result(Status.PASSED), result(Status.FAILED)]) == 1
    assert exit_status([result(Status.FAILED), result(Status.ERROR), result(Status.PASSED)]) == 3


def ended(error: BaseException | None, when: str = "call") -> pytest.CallInfo:
    def phase() -> None:
        if error is not None:
            raise error

    return pytest.CallInfo.from_call(phase, when)


@pytest.mark.parametrize(
    ("error", "when", "strict", "expected"),
    [
        (None, "call", False, Status.PASSED),
        (AssertionError("forward: expected 2, got 1"), "call", False, Status.FAILED),
        (StudentError("KeyError: 'w' at l04_linear_model.py:3"), "call", False, Status.FAILED),
        (GraderFault("grader/drivers/l10_softmax.py:12 in train_net: KeyError"), "call", False, Status.ERROR),
        (RuntimeError("a fixture broke"), "setup", False, Status.ERROR),
        (RuntimeError("a fixture's cleanup broke"), "teardown", False, Status.ERROR),
        (NotGraded("needs CUDA"), "setup", False, Status.NOT_GRADED),
        (NotGraded("needs CUDA"), "setup", True, Status.FAILED),
        (NotGraded("MNIST is missing"), "call", True, Status.FAILED),
    ],
)
def test_a_checks_status_comes_from_how_it_ended(error, when, strict, expected):
    assert status_of(ended(error, when), strict) == expected


def test_the_student_reads_what_the_status_means():
    assert failure_message(ended(NotGraded("needs CUDA")).excinfo) == "not graded: needs CUDA"
    where = "grader/drivers/l10_softmax.py:12 in train_net: KeyError: 'lr'"
    assert failure_message(ended(GraderFault(where)).excinfo) == f"grader error: {where}"


def test_a_note_belongs_to_the_check_that_made_it():
    with check.collecting_notes() as first:
        check.note("accuracy 0.99 (needs 0.97)")
    with check.collecting_notes() as second:
        pass
    assert (first, second) == (["accuracy 0.99 (needs 0.97)"], [])
    with pytest.raises(RuntimeError, match="outside a check"):
        check.note("nobody reads this")


PLANTED = """
import pytest

from grader.check import note, points, training
from grader.plugin import not_graded
from grader.sandbox.errors import GraderFault


@pytest.fixture
def broken():
    raise RuntimeError("the grader's fixture broke")


@points(1)
def test_passes_with_a_note():
    note("accuracy 0.9900 (needs 0.97)")


@points(1)
def test_a_student_mistake_fails():
    assert 1 == 2, "forward: expected 2, got 1"


@points(2)
def test_a_driver_fault_is_the_graders():
    raise GraderFault("grader/drivers/l99_planted.py:7 in train_net: KeyError: 'lr'")


@points(1)
def test_missing_data_is_not_graded():
    not_graded("PLANTED is missing")


@points(1)
def test_a_broken_fixture_is_the_graders(broken):
    pass


@points(1)
@training
def test_trains_a_model():
    pass
"""

GRADE = """
import json, sys
from pathlib import Path
from types import SimpleNamespace
from grader import grading, report

suite = SimpleNamespace(suite=Path(sys.argv[1]))  # all grading.grade reads of a lesson
for options in (grading.Options(markers="not training"), grading.Options(strict=True, select="missing_data")):
    results = grading.grade([suite], options)
    print(json.dumps({"exit": report.exit_status(results), "table": report.table(results),
                      "checks": {r.check: [r.status, r.message, r.detail] for r in results}}))
"""


def test_a_planted_suite_gets_each_status_and_a_grader_fault_exits_3(tmp_path):
    (tmp_path / "test_l99_planted.py").write_text(textwrap.dedent(PLANTED))
    done = subprocess.run(
        [sys.executable, "-c", GRADE, str(tmp_path / "test_l99_planted.py")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    graded, strict = map(json.loads, done.stdout.splitlines())
    assert graded["checks"] == {  # -m "not training" leaves the training check out
        "test_passes_with_a_note": [Status.PASSED, "", "accuracy 0.9900 (needs 0.97)"],
        "test_a_student_mistake_fails": [Status.FAILED, "forward: expected 2, got 1", ""],
        "test_a_driver_fault_is_the_graders": [
            Status.ERROR,
            "grader error: grader/drivers/l99_planted.py:7 in train_net: KeyError: 'lr'",
            "",
        ],
        "test_missing_data_is_not_graded": [Status.NOT_GRADED, "not graded: PLANTED is missing", ""],
        "test_a_broken_fixture_is_the_graders": [Status.ERROR, "RuntimeError: the grader's fixture broke", ""],
    }
    assert graded["exit"] == 3 and "grader error" in graded["table"]
    assert strict["checks"] == {  # --strict: a check that could not run fails, still saying why
        "test_missing_data_is_not_graded": [Status.FAILED, "not graded: PLANTED is missing", ""]
    }
    assert strict["exit"] == 1


# -- Gradescope visibility (issue 17 item 6) -----------------------------------
PUBLIC_L04 = "test_forward_multiplies_x_by_w"
HIDDEN_L04 = "test_mse_over_w_works_for_any_number_of_samples"


def gradescope_tests(hidden_visibility: str = "after_published") -> tuple[dict, dict[str, dict]]:
    results = [CheckResult("l04_linear_model", name, 1, Status.FAILED, "wrong") for name in (PUBLIC_L04, HIDDEN_L04)]
    payload = to_gradescope(results, hidden_visibility)
    return payload, {test["name"]: test for test in payload["tests"]}


@pytest.mark.parametrize("hidden_visibility", HIDDEN_VISIBILITIES)
def test_gradescope_hides_hidden_checks_as_the_teacher_chose_and_shows_public_ones(hidden_visibility):
    payload, tests = gradescope_tests(hidden_visibility)
    assert payload["visibility"] == "visible"  # the total, whatever the checks
    assert tests["l04_linear_model: forward multiplies x by w"]["visibility"] == "visible"
    assert tests["l04_linear_model: mse over w works for any number of samples"]["visibility"] == hidden_visibility


def test_gradescope_default_shows_hidden_checks_only_after_the_grades_are_published():
    _, tests = gradescope_tests()
    assert [test["visibility"] for test in tests.values()] == ["visible", "after_published"]
    with pytest.raises(ValueError, match="hidden_visibility must be one of"):
        to_gradescope([], "visible")


def test_practice_grade_writes_the_chosen_visibility(tmp_path):
    out = tmp_path / "results.json"
    done = subprocess.run(
        [sys.executable, "-m", "grader", "grade", "--solutions", "l04", "-k", "forward or any_number"]
        + ["--gradescope", str(out), "--hidden-visibility", "hidden"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    visibility = {test["name"]: test["visibility"] for test in json.loads(out.read_text())["tests"]}
    assert visibility == {
        "l04_linear_model: forward multiplies x by w": "visible",
        "l04_linear_model: mse over w works for any number of samples": "hidden",
    }


# -- what the score table shows (issue 17 items 3, 5 and 11) -------------------
def checks_of(lesson: str, *statuses: Status, message: str = "") -> list[CheckResult]:
    return [CheckResult(lesson, f"test_check_{i}", 1, status, message) for i, status in enumerate(statuses)]


def test_a_lesson_whose_only_ungraded_check_needs_a_gpu_is_done_with_the_point_shown_apart():
    results = checks_of("l11_mlp_regularization", Status.PASSED, Status.PASSED)
    results += checks_of("l11_mlp_regularization", Status.NOT_GRADED, message="not graded: needs CUDA")
    [lesson] = by_lesson(results)
    assert (lesson.status, lesson.score, lesson.max_score, lesson.needs_gpu) == ("done", 2, 2, 1)
    row = next(line for line in table(results).splitlines() if line.startswith("l11"))
    assert "2/2" in row and "1 pt needs a GPU" in row and row.endswith("done"), row


def test_missing_data_is_partly_graded_with_its_points_apart_and_the_reason_in_full(tmp_path):
    with pytest.raises(data.DatasetMissing) as missing:
        data.course_file("wine", tmp_path, offline=True)
    reason = f"not graded: {missing.value}"
    results = checks_of("l02_data_as_tensors", Status.PASSED)
    results += checks_of("l02_data_as_tensors", Status.NOT_GRADED, Status.NOT_GRADED, message=reason)
    shown = table(results)
    row = next(line for line in shown.splitlines() if line.startswith("l02"))
    assert "1/1" in row and "2 pts, reason below" in row and row.endswith("partly graded"), row
    for line in str(missing.value).splitlines():  # each line whole: nothing cut at "(w..."
        assert f"      {line}" in shown.splitlines() or f"      not graded: {line}" in shown.splitlines()
    assert "--data-dir DIR, or TORCH_PRACTICE_DATA=DIR" in shown
    assert shown.count("winequality-white.csv is missing") == 1 and "the same reason as above" in shown


def test_many_unfinished_lessons_show_the_details_of_the_first_only():
    results = [
        r
        for lesson in ("l01_tensors", "l02_data_as_tensors", "l03_autograd")
        for r in checks_of(lesson, Status.FAILED, Status.FAILED, message=f"not implemented yet: {lesson}")
    ]
    shown = table(results)
    assert "not implemented yet: l01_tensors" in shown and "not implemented yet: l02" not in shown
    assert shown.endswith(
        "details of 2 more unfinished lessons left out: `practice grade l02_data_as_tensors` shows one, "
        "`practice grade -v` shows them all"
    )
    assert "not implemented yet: l03_autograd" in table(results, verbose=True)
    assert "left out" not in table(results[:2])  # one unfinished lesson: all of its details


@pytest.mark.parametrize(("practice_exits", "make_fails"), [(0, False), (1, False), (2, True), (3, True)])
def test_make_grade_is_no_make_error_for_not_done_yet(tmp_path, practice_exits, make_fails):
    """Issue 17 item 11: `make grade` ended in `make: *** [Makefile:18: grade] Error 1` for a student not done yet."""
    fake = tmp_path / "bin" / "practice"
    fake.parent.mkdir()
    fake.write_text(f"#!/bin/sh\nexit {practice_exits}\n")
    fake.chmod(0o755)
    for name in ("pyproject.toml", "constraints.txt", "stamp"):  # the stamp newer: install is up to date
        (tmp_path / name).touch()
    for makefile in (ROOT / "Makefile", ROOT / "templates" / "release" / "Makefile"):
        done = subprocess.run(
            ["make", "-s", "-f", str(makefile), "grade", f"BIN={fake.parent}", f"STAMP={tmp_path / 'stamp'}"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
        )
        assert (done.returncode != 0) == make_fails, (makefile, done.stderr)
