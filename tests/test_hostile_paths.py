"""Submissions whose paths attack the grader (issue 15, item 2 and the notebook
half of item 3): links to the reference solutions or to /proc, FIFOs, sparse
giants, folder links between students in `grade-all`, notebooks built to
exhaust the parser. Each is graded for real through `practice grade` or
`practice grade-all`, and must get exactly the verdict honest work would:
0 points with one sentence for the refused file, full marks for the rest, in
bounded time and memory, leaving no temporary folder behind.

Other test runs share /tmp, so each graded run here gets its own TMPDIR (where
the grader makes every temporary folder), which must be empty afterwards.
"""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from conftest import DATA, ROOT
from test_notebook import filled

from grader import submission
from grader.lessons import find
from grader.sandbox import host

L04 = find("l04_linear_model")
L05 = find("l05_gradient_descent")
GRADE_SECONDS = 120  # a refused file is never read: the honest lessons set the pace (seconds each)
PEAK_RSS = 1536 << 20  # bytes: grading l04 peaks near 700 MB; the attacks took 3.9 GB and more
TOO_LARGE = "more than the 4 MB a submitted file may have (a teacher can raise it with --max-file-size)"


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    seconds: float
    peak_rss: int  # bytes: the largest resident set of the grader and of every process it waited for
    tmpdir: Path  # the run's TMPDIR


# Starts the grader and reports its peak memory. A process forked from pytest
# (itself near 1 GB with torch) would report pytest's size as its own peak:
# Linux keeps the largest resident set across exec. This small one does not.
MEASURE = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.executable, [sys.executable, "-m", "grader", *sys.argv[1:]])
_, status, usage = os.wait4(pid, 0)
with open(os.environ["PEAK_RSS_FILE"], "w") as f:
    f.write(str(usage.ru_maxrss * 1024))
sys.exit(max(0, os.waitstatus_to_exitcode(status)))
"""


def practice(tmp_path: Path, *args: str) -> Run:
    """`practice ARGS` in a fresh interpreter with its own TMPDIR, timed and measured."""
    tmpdir, peak = tmp_path / "tmpdir", tmp_path / "peak_rss.txt"
    tmpdir.mkdir(exist_ok=True)
    env = {**os.environ, "TORCH_PRACTICE_DATA": str(DATA), "TMPDIR": str(tmpdir), "PEAK_RSS_FILE": str(peak)}
    start = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-c", MEASURE, *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        stdout, stderr = proc.communicate(timeout=2 * GRADE_SECONDS)
    except subprocess.TimeoutExpired:  # a hang fails the time bound below, and leaves nothing running
        os.killpg(proc.pid, signal.SIGKILL)
        stdout, stderr = proc.communicate()
    measured = int(peak.read_text()) if peak.exists() else PEAK_RSS
    return Run(proc.returncode, stdout, stderr, time.monotonic() - start, measured, tmpdir)


def assert_bounded_and_clean(run: Run) -> None:
    assert run.seconds < GRADE_SECONDS, run.stderr
    assert run.peak_rss < PEAK_RSS, f"the grader grew to {run.peak_rss >> 20} MB"
    assert list(run.tmpdir.iterdir()) == []  # every temporary folder went with grading


def make(path: Path, kind: str, target: str = "") -> None:
    """A hostile lesson file at ``path``: a link to ``target``, a FIFO, or a sparse giant."""
    if kind == "link":
        path.symlink_to(target)
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "sparse":  # 300 MB that take no disk: the size alone must refuse it
        with open(path, "wb") as f:
            f.truncate(300 << 20)


# -- practice grade --submission ---------------------------------------------
@pytest.mark.slow
def test_lesson_files_that_are_links_pipes_or_giants_score_zero_with_one_sentence(tmp_path):
    folder = tmp_path / "submission"
    folder.mkdir()
    attacks = {  # lesson -> (how the file is made, what every check of the lesson says)
        "l03_autograd": (
            "link",
            os.path.relpath(ROOT / "solutions" / "l03_autograd.py", folder),  # up and out
            "is a symbolic link; submit the file itself",
        ),
        "l04_linear_model": (
            "link",
            str(ROOT / "solutions" / "l04_linear_model.py"),
            "is a symbolic link; submit the file itself",
        ),
        "l06_backprop": ("fifo", "", "is a named pipe (FIFO), not a regular file; submit the file itself"),
        "l07_linear_regression": ("sparse", "", f"is 300 MB, {TOO_LARGE}"),
        "l08_logistic_regression": ("link", "/proc/self/pagemap", "is a symbolic link; submit the file itself"),
    }
    for lesson, (kind, target, _) in attacks.items():
        make(folder / f"{lesson}.py", kind, target)
    (folder / f"{L05.id}.py").write_text((ROOT / "solutions" / f"{L05.id}.py").read_text())
    report = tmp_path / "report.json"
    run = practice(tmp_path, "grade", *attacks, L05.id, "--submission", str(folder), "--json", str(report))
    assert run.code == 1, run.stderr
    graded = {lesson["lesson"]: lesson for lesson in json.loads(report.read_text())["lessons"]}
    for lesson, (_, _, sentence) in attacks.items():
        assert graded[lesson]["score"] == 0
        verdicts = {(check["status"], check["message"]) for check in graded[lesson]["checks"]}
        assert verdicts == {("failed", f"{lesson}.py {sentence}")}
    assert graded[L05.id]["score"] == graded[L05.id]["max_score"] == L05.points  # the honest lesson, graded as ever
    assert "Traceback" not in run.stderr
    assert_bounded_and_clean(run)


# -- practice grade-all -------------------------------------------------------
@pytest.mark.slow
def test_grade_all_refuses_linked_submissions_folders_and_notebooks_in_the_status_column(tmp_path):
    subs = tmp_path / "subs"
    (subs / "alice" / "exercises").mkdir(parents=True)
    (subs / "alice" / "exercises" / f"{L04.id}.py").write_text((ROOT / "solutions" / f"{L04.id}.py").read_text())
    (subs / "mallory").mkdir()
    (subs / "mallory" / "exercises").symlink_to("../alice/exercises")  # what `git clone` restores
    (subs / "trudy").symlink_to("alice")
    (subs / "peggy").mkdir()
    (subs / "peggy" / f"{L04.id}.py").symlink_to(ROOT / "solutions" / f"{L04.id}.py")
    (subs / "oscar.ipynb").symlink_to(filled(tmp_path))
    os.mkfifo(subs / "victor.ipynb")
    book = tmp_path / "book.csv"
    run = practice(tmp_path, "grade-all", str(subs), L04.id, "--workers", "2", "--csv", str(book))
    assert run.code == 0, run.stderr
    full, zero = [str(L04.points)] * 3, ["0", "0", str(L04.points)]
    assert list(csv.reader(book.read_text().splitlines())) == [
        ["submission", L04.id, "total", "max_score", "status"],
        ["alice", *full, "ok"],
        ["mallory", *zero, "refused: exercises is a symbolic link; submit the folder itself"],
        ["oscar.ipynb", *zero, "refused: oscar.ipynb is a symbolic link; submit the file itself"],
        ["peggy", *zero, f"refused: {L04.id}.py is a symbolic link; submit the file itself"],
        ["trudy", *zero, "refused: trudy is a symbolic link; submit the folder itself"],
        [
            "victor.ipynb",
            *zero,
            "refused: victor.ipynb is a named pipe (FIFO), not a regular file; submit the file itself",
        ],
    ]
    assert_bounded_and_clean(run)


# -- notebooks ----------------------------------------------------------------
def hostile_notebook(tmp_path: Path, *cells: str) -> Path:
    """The filled l04 notebook with ``cells`` added at its end (each source one
    JSON string, as some editors save them: the file is about as large as the code)."""
    path = filled(tmp_path)
    notebook = nbformat.read(path, as_version=4)
    notebook.cells += [nbformat.v4.new_code_cell(code) for code in cells]
    path.write_text(json.dumps(notebook))
    return path


FLOOD = "x=1\n" * 1_600_000  # an 8 MB notebook of tiny statements (8 KB zipped): ~5 GB of syntax tree
NESTED = "1" + "+1" * 100_000  # deeper than the parser's recursion limit


def test_an_8_mb_notebook_is_refused_before_it_is_parsed(tmp_path):
    path = hostile_notebook(tmp_path, FLOOD)
    run = practice(tmp_path, "grade", "--notebook", str(path))
    assert run.code == 2
    assert run.stderr.strip() == f"error: {L04.id}.ipynb is {submission.size_text(path.stat().st_size)}, {TOO_LARGE}"
    assert_bounded_and_clean(run)


@pytest.mark.slow
def test_cells_that_exhaust_the_parser_become_notes_and_the_rest_is_graded(tmp_path):
    """With the cap raised past it, the same 8 MB notebook meets the parser's
    memory budget: the flood and a too-deep expression are skipped with a note,
    every stub is graded, and the grader stays small."""
    path = hostile_notebook(tmp_path, NESTED, FLOOD)
    report = tmp_path / "report.json"
    run = practice(tmp_path, "grade", "--notebook", str(path), "--max-file-size", "16M", "--json", str(report))
    assert run.code == 0, run.stderr
    cells = sum(cell.cell_type == "code" for cell in nbformat.read(path, as_version=4).cells)
    notes = [line for line in run.stderr.splitlines() if line.startswith("note: ")]
    assert notes == [
        f"note: code cell {cells - 1} was skipped: its code is nested too deeply to read",
        f"note: code cell {cells} was skipped: its code is too large to read",
    ]
    graded = json.loads(report.read_text())
    assert graded["score"] == graded["max_score"] == L04.points
    assert_bounded_and_clean(run)


# -- the helpers, directly ----------------------------------------------------
@pytest.mark.parametrize("name", ["../solutions/l04_linear_model.py", "/etc/passwd", "a/./b.py", "a//b.py"])
def test_a_path_that_leaves_the_submission_folder_is_refused(tmp_path, name):
    with pytest.raises(submission.Refused, match="points outside the submission folder"):
        submission.read(tmp_path, name)


def test_a_device_is_refused_without_being_opened():
    with pytest.raises(submission.Refused, match="^null is a device, not a regular file; submit the file itself$"):
        submission.read(Path("/dev"), "null")


def test_a_worker_whose_start_fails_leaves_no_folder(tmp_path, monkeypatch):
    """The lesson copy's folder goes when the start fails, at the next start and at the end."""
    monkeypatch.setattr(host.tempfile, "tempdir", str(tmp_path))

    def no_process(*args, **kwargs):
        raise OSError("no more processes")

    monkeypatch.setattr(host.subprocess, "Popen", no_process)
    worker = host.WorkerProcess(
        host.WorkerConfig(lesson=L04.id, path=tmp_path / f"{L04.id}.py", data_root=DATA, source=b"x = 1\n")
    )
    for _ in range(3):
        with pytest.raises(OSError, match="no more processes"):
            worker.request({"op": "ping"}, 1, "a ping")
        assert len([p for p in tmp_path.iterdir() if p.name.startswith("torch-practice-")]) <= 2  # this one, scratch
    worker.dispose()
    assert list(tmp_path.iterdir()) == []
