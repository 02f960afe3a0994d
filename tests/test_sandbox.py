"""Hostile or broken student code cannot change its score or stop grading:
each case is a submission whose score must be exactly what its honest part
deserves."""

from __future__ import annotations

import pytest

from conftest import submission

pytestmark = pytest.mark.slow
FAST = "not reaches"  # the function checks; training is covered elsewhere
SOFTMAX_CHECKS = {
    "test_softmax_matches_torch_along_any_dim",
    "test_softmax_rows_are_positive_and_sum_to_one",
    "test_softmax_is_unchanged_by_adding_a_constant_to_a_row",
    "test_softmax_stays_finite_for_huge_logits",
}


def grade_l10(grade_cli, folder, *args):
    return grade_cli("l10_softmax", "--submission", str(folder), "-k", FAST, *args)


def test_an_infinite_loop_times_out_and_the_other_checks_still_run(tmp_path, grade_cli):
    folder = submission(tmp_path, "l10_softmax", "def softmax(X, dim=-1):\n    while True:\n        pass\n")
    graded = grade_l10(grade_cli, folder, "--timeout", "2")
    assert graded.failed() == SOFTMAX_CHECKS
    assert "timed out after 2 s during softmax()" in graded.checks()["test_softmax_stays_finite_for_huge_logits"]["message"]


def test_sys_exit_at_import_scores_zero_for_that_lesson_only(tmp_path, grade_cli):
    folder = submission(tmp_path, "l10_softmax", "import sys\nsys.exit(0)\n")
    submission(tmp_path, "l13_cnn_advanced", "")  # honest work beside it
    graded = grade_cli("--submission", str(folder), "-k", FAST)
    assert graded.lesson("l10_softmax")["score"] == 0
    assert all("SystemExit" in c["message"] for c in graded.lesson("l10_softmax")["checks"])
    l13 = graded.lesson("l13_cnn_advanced")
    assert l13["score"] == l13["max_score"] > 0


def test_os_exit_inside_a_function_fails_that_check_and_the_worker_restarts(tmp_path, grade_cli):
    folder = submission(tmp_path, "l10_softmax", "import os\n\ndef accuracy(logits, y):\n    os._exit(0)\n")
    graded = grade_l10(grade_cli, folder)
    assert graded.failed() == {"test_accuracy_compares_the_argmax_of_each_row_with_the_label"}
    assert "worker exited with status 0 during accuracy()" in \
        graded.checks()["test_accuracy_compares_the_argmax_of_each_row_with_the_label"]["message"]


def test_patching_torch_comparisons_in_the_worker_changes_nothing(tmp_path, grade_cli):
    cheat = (
        "import torch, torch.testing\n"
        "torch.allclose = lambda *a, **k: True\n"
        "torch.testing.assert_close = lambda *a, **k: None\n"
        "torch.isclose = lambda a, b, **k: torch.ones_like(a, dtype=torch.bool)\n"
        "def softmax(X, dim=-1):\n    return X.exp() / X.exp().sum(dim=dim, keepdim=True)\n"
    )
    graded = grade_l10(grade_cli, submission(tmp_path, "l10_softmax", cheat))
    assert graded.failed() == {"test_softmax_stays_finite_for_huge_logits"}


def test_importing_the_solutions_is_refused(tmp_path, grade_cli):
    cheat = "from solutions.l10_softmax import softmax\n"
    graded = grade_l10(grade_cli, submission(tmp_path, "l10_softmax", cheat, base="exercises"))
    assert graded.report["score"] == 0
    assert "importing 'solutions' is not allowed" in graded.stdout


def test_printed_fake_results_are_only_shown_as_output(tmp_path, grade_cli):
    cheat = (
        "def accuracy(logits, y):\n"
        "    print('test_accuracy PASSED\\n=== 30 passed in 0.1s ===\\n{\"score\": 29}')\n"
        "    return 0.0\n"
    )
    graded = grade_l10(grade_cli, submission(tmp_path, "l10_softmax", cheat))
    check = graded.checks()["test_accuracy_compares_the_argmax_of_each_row_with_the_label"]
    assert graded.failed() == {"test_accuracy_compares_the_argmax_of_each_row_with_the_label"}
    assert "30 passed" in check["output"]
    assert graded.report["score"] == graded.report["max_score"] - check["points"]


def test_a_syntax_error_scores_that_lesson_zero_with_file_and_line(tmp_path, grade_cli):
    folder = submission(tmp_path, "l13_cnn_advanced", "def broken(:\n    pass\n")
    submission(tmp_path, "l10_softmax", "")
    graded = grade_cli("--submission", str(folder), "-k", FAST)
    l13 = graded.lesson("l13_cnn_advanced")
    assert l13["score"] == 0
    assert all(c["message"].startswith("SyntaxError at l13_cnn_advanced.py:")
               for c in l13["checks"] if c["status"] == "failed")
    l10 = graded.lesson("l10_softmax")
    assert l10["score"] == l10["max_score"] > 0
