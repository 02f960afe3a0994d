"""`practice grade-all`: a folder of submissions becomes a gradebook, and one
broken submission never stops the batch.

Grading costs time, so the six submissions are graded in two batches: four
honest ones (twice: with two workers, then with one, for the determinism
check) and three broken ones with a short --submission-timeout.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import ROOT, practice, sandbox_processes
from test_mutants import caught_by
from test_notebook import filled

from grader import catalog
from grader.batch import Graders, Row, Settings, Stopped, _command, _failure, _fill
from grader.lessons import find
from grader.sandbox.threads import torch_threads, usable_cpus

L04 = find("l04_linear_model")
MUTANT = ROOT / "tests" / "mutants" / "l04_linear_model" / "loss_absolute_error.py"
HEADER = f"submission,{L04.id},total,max_score,status"


def lesson_file(folder: Path, code: str = "", base: str = "solutions") -> None:
    folder.mkdir(parents=True)
    (folder / f"{L04.id}.py").write_text((ROOT / base / f"{L04.id}.py").read_text() + "\n" + code)


def grade_all(folder: Path, *args: str) -> subprocess.CompletedProcess:
    return practice("grade-all", str(folder), L04.id, *args)


@pytest.fixture(scope="module")
def honest(tmp_path_factory):
    """alice: the reference; bob: a repository whose exercises/ has one realistic
    mistake; carol: the stubs; frank.ipynb: the filled notebook. Graded with two
    workers into a CSV and Gradescope files; returns (folder, result, out)."""
    out = tmp_path_factory.mktemp("batch")
    folder = out / "subs"
    lesson_file(folder / "alice")
    lesson_file(folder / "bob" / "exercises", MUTANT.read_text())
    (folder / "bob" / "README.md").write_text("bob's repository")
    lesson_file(folder / "carol", base="exercises")
    filled(out).rename(folder / "frank.ipynb")
    (folder / "notes.txt").write_text("not a submission")
    (folder / ".DS_Store").write_text("hidden")
    done = grade_all(
        folder,
        "--timeout",
        "120",
        "--workers",
        "2",
        "--csv",
        str(out / "book-2.csv"),
        "--gradescope-dir",
        str(out / "gradescope"),
    )
    return folder, done, out


@pytest.mark.slow
def test_gradebook_has_each_submissions_score_and_gradescope_files(honest):
    folder, done, out = honest
    assert done.returncode == 0, done.stderr
    bob = L04.points - sum(c.points for c in catalog.lesson_checks(L04) if c.name in caught_by(MUTANT))
    assert 0 < bob < L04.points
    assert (out / "book-2.csv").read_text().splitlines() == [
        HEADER,
        f"alice,{L04.points},{L04.points},{L04.points},ok",
        f"bob,{bob},{bob},{L04.points},ok",
        f"carol,0,0,{L04.points},ok",
        f"frank.ipynb,{L04.points},{L04.points},{L04.points},ok",
    ]
    scores = {
        name: json.loads((out / "gradescope" / name / "results.json").read_text())["score"]
        for name in ("alice", "bob", "carol", "frank.ipynb")
    }
    assert scores == {"alice": L04.points, "bob": bob, "carol": 0, "frank.ipynb": L04.points}
    assert "grading 4 submissions" in done.stderr  # the progress bar's label (no TTY here)
    ignored = [line for line in done.stderr.splitlines() if line.startswith("ignored")]
    assert ignored == ["ignored 2 entries (hidden, or neither a folder nor a .ipynb): .DS_Store, notes.txt"]
    assert ["bob", f"{bob}/{L04.points}", "ok"] in [line.split() for line in done.stdout.splitlines()]  # summary


@pytest.mark.slow
def test_one_worker_and_two_give_the_same_gradebook(honest):
    folder, _, out = honest
    done = grade_all(folder, "--timeout", "120", "--workers", "1", "--csv", str(out / "book-1.csv"))
    assert done.returncode == 0, done.stderr
    assert (out / "book-1.csv").read_bytes() == (out / "book-2.csv").read_bytes()


@pytest.mark.slow
def test_a_hanging_a_malformed_and_an_unreadable_submission_get_a_status_row(tmp_path):
    folder = tmp_path / "subs"
    lesson_file(folder / "dave", "while True:\n    pass\n")  # hangs on import
    (folder / "erin").mkdir()  # no lesson file at all
    (folder / "erin" / "notes.md").write_text("I did not start")
    (folder / "gus.ipynb").write_text("this is not JSON")
    # the per-call --timeout is large: the batch's own limit must stop the hang
    done = grade_all(
        folder,
        "--timeout",
        "120",
        "--submission-timeout",
        "10",
        "--csv",
        str(tmp_path / "book.csv"),
        "--gradescope-dir",
        str(tmp_path / "gradescope"),
    )
    assert done.returncode == 0, done.stderr
    rows = (tmp_path / "book.csv").read_text().splitlines()
    assert rows[:3] == [
        HEADER,
        f"dave,0,0,{L04.points},timed out after 10 s",
        f"erin,,0,{L04.points},malformed: no lesson files",  # nothing handed in: an empty cell, not a 0
    ]
    assert rows[3].startswith(f"gus.ipynb,,0,{L04.points},malformed: ") and "gus.ipynb" in rows[3]
    assert list((tmp_path / "gradescope").iterdir()) == []  # nothing was graded
    assert "timed out after 10 s" in done.stdout
    # the timed-out grader was killed with its sandboxed worker (ours carry this checkout's path)
    deadline = time.monotonic() + 5
    while (left := [p for p in sandbox_processes() if str(ROOT) in p]) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not left


@pytest.mark.slow
def test_status_names_each_lessons_import_problem_and_max_score_is_the_runs(tmp_path):
    """Issue 17 item 7: a lesson that does not compile or hangs on import was reported `ok`; a notebook row's
    max_score (one lesson) differed from a folder row's (all lessons); a lesson not handed in scored 0."""
    folder, l05 = tmp_path / "subs", find("l05_gradient_descent")
    lesson_file(folder / "hana", "def broken(:\n")  # does not compile
    shutil.copy(ROOT / "solutions" / f"{l05.id}.py", folder / "hana" / f"{l05.id}.py")
    lesson_file(folder / "ivan", "while True:\n    pass\n")  # hangs on import; no l05 handed in
    filled(tmp_path).rename(folder / "jo.ipynb")  # l04 only
    book = tmp_path / "book.csv"
    done = practice("grade-all", str(folder), L04.id, l05.id, "--timeout", "2", "--csv", str(book))
    assert done.returncode == 0, done.stderr
    both = L04.points + l05.points
    assert book.read_text().splitlines() == [
        f"submission,{L04.id},{l05.id},total,max_score,status",
        f"hana,0,{l05.points},{l05.points},{both},l04: syntax error",
        f"ivan,0,,0,{both},l04: import timed out",
        f"jo.ipynb,{L04.points},,{L04.points},{both},ok",
    ]


def test_a_grader_that_wrote_no_report_gets_a_short_status():
    assert _failure(-9, "") == "crashed: killed by SIGKILL"
    assert _failure(1, "..F\nRuntimeError: boom\n") == "crashed: exit status 1 (RuntimeError: boom)"
    assert (
        _failure(3, "grader error: the suite of l04 does not import\n")
        == "grader error: the suite of l04 does not import"
    )
    assert _failure(2, "error: a.ipynb is not a notebook\n") == "malformed: a.ipynb is not a notebook"


def test_a_check_that_ended_in_a_grader_error_shows_in_the_status_and_still_scores():
    checks = [
        {"check": "test_forward", "title": "forward", "status": "passed"},
        {"check": "test_loss", "title": "loss", "status": "error"},
    ]
    row = Row("alice", {L04.id: 0}, max_score=L04.points)
    _fill(row, {"lessons": [{"lesson": L04.id, "score": 1, "max_score": 2, "checks": checks}]})
    assert (row.scores, row.max_score) == ({L04.id: 1}, L04.points)  # the run's max, not what was graded
    assert row.status == f"grader error in 1 check ({L04.id}: loss)"


def test_stopping_the_batch_kills_the_running_graders_and_starts_no_more():
    """What Ctrl-C does: graders run in their own sessions, where the terminal's SIGINT does not reach."""
    graders = Graders()
    with ThreadPoolExecutor(1) as pool:
        running = pool.submit(graders.run, ["sleep", "60"], dict(os.environ), 60)
        time.sleep(0.5)
        start = time.monotonic()
        graders.stop()
        try:
            assert running.result(timeout=10) == (-9, "")  # killed, not left to time out
        except Stopped:
            pass  # stopped before it started: as good
        assert time.monotonic() - start < 10
    with pytest.raises(Stopped):
        graders.run(["true"], dict(os.environ), 60)


def test_bad_input_is_one_clear_error(tmp_path):
    missing = practice("grade-all", str(tmp_path / "nope"))
    assert missing.returncode == 2 and "is not a folder of submissions" in missing.stderr
    (tmp_path / "empty").mkdir()
    empty = practice("grade-all", str(tmp_path / "empty"))
    assert empty.returncode == 2 and "holds no submissions" in empty.stderr
    (tmp_path / "empty" / "notes.txt").write_text("not a submission")
    only_notes = practice("grade-all", str(tmp_path / "empty"))
    assert only_notes.returncode == 2 and "holds no submissions" in only_notes.stderr
    (tmp_path / "subs" / "alice").mkdir(parents=True)
    to_folder = practice("grade-all", str(tmp_path / "subs"), "--csv", str(tmp_path))
    assert to_folder.returncode == 2 and "is a folder, not a file" in to_folder.stderr
    unknown = practice("grade-all", str(tmp_path / "subs"), "l99_nothing")
    assert unknown.returncode == 2
    for done in (missing, empty, only_notes, to_folder, unknown):
        assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_each_grader_gets_its_share_of_the_cpus_as_torch_threads(tmp_path, monkeypatch):
    """grade-all hands each `practice grade` the thread count grader.sandbox.threads
    chooses for N workers (the same rule as `practice grade`, N = 1); --threads wins."""
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    two = Settings([L04], [], 60.0, workers=2)
    assert two.threads == torch_threads(None, 2) == max(1, usable_cpus() // 2)
    command = _command(tmp_path / "alice", two, tmp_path / "report.json")
    assert command[command.index("--threads") + 1] == str(two.threads)
    assert Settings([L04], [], 60.0, workers=2, chosen_threads=3).threads == 3
    monkeypatch.setenv("OMP_NUM_THREADS", "5")
    assert two.threads == 5
