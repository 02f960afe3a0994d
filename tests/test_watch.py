"""``practice watch`` (issue 17 item 10): a newer save stops the grading in progress, a file
that does not parse is reported at once without a grading process, and training shows its
epochs and loss as ``practice grade`` does on a terminal."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import pytest
from conftest import DATA

from grader.lessons import find
from grader.plugin import write_training_line
from grader.sandbox.confine import WORKER_ENV
from grader.watch import TRAINING_LINE_ENV, Watcher, grade_summary, show_new_line, syntax_problem

L04, L10 = find("l04"), find("l10")


class Grader:
    """Records what it grades; ``on_call(stale, show)`` plays what happens while a grading runs."""

    def __init__(self, *verdicts, on_call=lambda stale, show: None) -> None:
        self.verdicts, self.on_call, self.graded = list(verdicts), on_call, []

    def __call__(self, lesson, stale, show):
        self.graded.append(lesson.id)
        self.on_call(stale, show)
        return self.verdicts.pop(0)  # None: the grading was stopped


def watcher(tmp_path: Path, grade: Grader, source: str = "# stub\n") -> tuple[Watcher, list[str]]:
    (tmp_path / f"{L04.id}.py").write_text(source)
    shown: list[str] = []
    return Watcher(L04, grade=grade, echo=shown.append, exercises=tmp_path), shown


def save(path: Path) -> None:
    os.utime(path, ns=(0, time.time_ns() + 10**9))  # a new modification time, as an editor's save makes


def test_a_file_that_does_not_parse_is_reported_at_once_without_a_grading(tmp_path):
    grade = Grader("never asked")
    watch, shown = watcher(tmp_path, grade, "import torch\n\ndef forward(x, w)\n    return x @ w\n")
    watch.run_grade()
    assert grade.graded == []  # no grading process started
    assert shown[1].splitlines() == [
        "syntax error at l04_linear_model.py:3: expected ':'",
        "  def forward(x, w)",
        "                   ^",
    ]
    assert shown[2].startswith("save l04_linear_model.py to grade again")


def test_syntax_problem_is_none_for_a_file_that_parses_and_shows_its_text_clean(tmp_path):
    good = tmp_path / "good.py"
    good.write_text("def f():\n    return 1\n")
    assert syntax_problem(good) is None
    assert syntax_problem(tmp_path / "missing.py") is None  # the grading says why
    bad = tmp_path / "bad.py"
    bad.write_text("x = (\x1b[2J\n")
    assert "\x1b" not in syntax_problem(bad) and syntax_problem(bad).startswith("syntax error at bad.py:1:")


def test_a_newer_save_stops_the_grading_and_only_its_verdict_shows(tmp_path):
    """Issue 17 item 10: two saves close together were both graded, the older verdict printed first."""

    def saved_again_while_grading(stale, show):
        if len(grade.graded) == 1:
            save(watch.path)
            assert stale()  # what a grading asks between its looks: it stops and returns None

    grade = Grader(None, "l04_linear_model  8/8 points  done", on_call=saved_again_while_grading)
    watch, shown = watcher(tmp_path, grade)
    watch.run_grade()
    assert grade.graded == [L04.id, L04.id]
    assert shown[1].startswith("saved again at ") and shown[1].endswith("grading the newer l04_linear_model.py")
    assert shown[2:] == [
        "l04_linear_model  8/8 points  done",
        "save l04_linear_model.py to grade again · h hint · n next lesson · q quit",
    ]
    assert not watch.changed()  # that save is the one graded, not graded once more


def test_training_lines_show_once_per_epoch(tmp_path):
    def trains(stale, show):
        for line in ("epoch 1/3, loss 0.9", "epoch 1/3, loss 0.8", "epoch 2/3, loss 0.5", "epoch 3/3, loss 0.2"):
            show(line)

    watch, shown = watcher(tmp_path, Grader("l04 done", on_call=trains))
    watch.run_grade()
    assert shown[1:4] == [
        "  training: epoch 1/3, loss 0.9",
        "  training: epoch 2/3, loss 0.5",
        "  training: epoch 3/3, loss 0.2",
    ]


def test_the_grading_run_hands_watch_its_training_line_and_the_worker_never_sees_where(tmp_path):
    line = tmp_path / "training"
    write_training_line(line, "epoch 2/8, loss 0.2871")
    seen: list[str] = []
    show_new_line(line, seen.append)
    write_training_line(line, None)  # the training ended: nothing to show
    show_new_line(line, seen.append)
    assert seen == ["epoch 2/8, loss 0.2871"] and list(tmp_path.iterdir()) == [line]
    assert not WORKER_ENV.allows(TRAINING_LINE_ENV)  # the sandboxed worker cannot write what watch shows


@pytest.mark.slow
def test_a_real_grading_stops_when_a_newer_save_comes_and_leaves_no_folder(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # watch's folder lands here
    monkeypatch.setenv("TMPDIR", str(tmp_path))  # and the grading run's sandboxes
    monkeypatch.setenv("TORCH_PRACTICE_DATA", str(DATA))

    def newer_save_once_grading_began() -> bool:
        return bool(list(tmp_path.glob("torch-practice-[!w]*")))  # a sandbox: the grading has begun

    started = time.monotonic()
    assert grade_summary(L04, ("--solutions",), stale=newer_save_once_grading_began) is None
    assert time.monotonic() - started < 60
    assert sorted(p.name for p in tmp_path.iterdir()) == []


@pytest.mark.slow
@pytest.mark.training
def test_watch_shows_the_epochs_of_a_training_check():
    """Issue 17 item 10: watch stayed silent for minutes while a check trained."""
    lines: list[str] = []
    shown = grade_summary(L10, ("--solutions", "-k", "reaches_97_percent"), show=lines.append)
    assert shown.startswith(f"{L10.id}  ") and "first failing check" not in shown
    assert lines and all(line.startswith("epoch ") for line in lines), lines
