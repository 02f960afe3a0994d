"""`practice grade-all`: a folder of submissions becomes a gradebook, and one
broken submission never stops the batch."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, practice
from grader import catalog
from grader.lessons import find
from test_mutants import caught_by
from test_notebook import filled

L04 = find("l04_linear_model")
MUTANT = ROOT / "tests" / "mutants" / "l04_linear_model" / "loss_absolute_error.py"


def lesson_file(folder: Path, code: str = "", base: str = "solutions") -> None:
    folder.mkdir(parents=True)
    (folder / f"{L04.id}.py").write_text((ROOT / base / f"{L04.id}.py").read_text() + "\n" + code)


def honest_submissions(root: Path) -> Path:
    """alice: the reference; bob: a repository whose exercises/ has one realistic mistake; carol: the stubs."""
    lesson_file(root / "alice")
    lesson_file(root / "bob" / "exercises", MUTANT.read_text())
    (root / "bob" / "README.md").write_text("bob's repository")
    lesson_file(root / "carol", base="exercises")
    return root


def gradebook(path: Path) -> dict[str, dict[str, str]]:
    with open(path, newline="") as f:
        return {row["submission"]: row for row in csv.DictReader(f)}


def grade_all(folder: Path, *args: str):
    return practice("grade-all", str(folder), L04.id, "--timeout", "120", *args)


@pytest.mark.slow
def test_gradebook_scores_each_submission_and_survives_a_hang_and_a_malformed_one(tmp_path):
    folder = honest_submissions(tmp_path / "subs")
    lesson_file(folder / "dave", "while True:\n    pass\n")  # hangs on import
    (folder / "erin").mkdir()  # no lesson file at all
    filled(tmp_path / "nb").rename(folder / "frank.ipynb")
    (folder / "notes.txt").write_text("not a submission")
    done = grade_all(folder, "--workers", "2", "--submission-timeout", "20", "--csv", str(tmp_path / "book.csv"),
                     "--gradescope-dir", str(tmp_path / "gradescope"))
    assert done.returncode == 0, done.stderr
    assert "skipped 1 entries" in done.stderr and "notes.txt" in done.stderr
    book = gradebook(tmp_path / "book.csv")
    assert list(book) == ["alice", "bob", "carol", "dave", "erin", "frank.ipynb"]
    assert list(book["alice"]) == ["submission", L04.id, "total", "max_score", "status"]
    lost = sum(c.points for c in catalog.lesson_checks(L04) if c.name in caught_by(MUTANT))
    expected = {"alice": L04.points, "bob": L04.points - lost, "carol": 0, "dave": 0, "erin": 0,
                "frank.ipynb": L04.points}
    for name, score in expected.items():
        assert int(book[name][L04.id]) == int(book[name]["total"]) == score, name
        assert int(book[name]["max_score"]) == L04.points, name
    assert [book[name]["status"] for name in expected] == [
        "ok", "ok", "ok", "timed out after 20 s", "malformed: no lesson files", "ok"]
    results = json.loads((tmp_path / "gradescope" / "bob" / "results.json").read_text())
    assert results["score"] == L04.points - lost
    assert not (tmp_path / "gradescope" / "dave").exists()
    assert "dave" in done.stdout and "timed out after 20 s" in done.stdout


@pytest.mark.slow
def test_one_worker_and_two_give_the_same_gradebook(tmp_path):
    folder = honest_submissions(tmp_path / "subs")
    for workers in ("1", "2"):
        done = grade_all(folder, "--workers", workers, "--csv", str(tmp_path / f"book-{workers}.csv"))
        assert done.returncode == 0, done.stderr
    assert (tmp_path / "book-1.csv").read_bytes() == (tmp_path / "book-2.csv").read_bytes()


def test_a_missing_or_empty_folder_is_one_clear_error(tmp_path):
    missing = practice("grade-all", str(tmp_path / "nope"))
    assert missing.returncode == 2 and "is not a folder of submissions" in missing.stderr
    (tmp_path / "empty").mkdir()
    empty = practice("grade-all", str(tmp_path / "empty"))
    assert empty.returncode == 2 and "holds no submissions" in empty.stderr
    assert "Traceback" not in missing.stderr + empty.stderr
