"""``practice grade-all``: grade a folder of submissions into a gradebook.

Each entry of the folder is one submission, named after it: a folder laid
out like ``exercises/`` (or a student's whole repository, whose
``exercises/`` is used) or a filled ``.ipynb`` notebook. Each is graded by
its own ``practice grade`` process, which sandboxes the code lesson by
lesson; a submission that hangs, crashes or is malformed gets a row whose
``status`` says so, and the batch goes on. Rows are sorted by name and hold
no timings, so the gradebook is the same with one worker or many.
"""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from grader import submission, text
from grader.lessons import ROOT, Lesson
from grader.report import Status
from grader.sandbox.threads import torch_threads

OK = "ok"
STATUS_WIDTH = 200  # characters of the grader's last words kept in a status


@dataclass
class Settings:
    lessons: list[Lesson]
    options: list[str]  # passed on to every `practice grade` (--timeout, --data-dir, --strict, ...)
    time_limit: float  # seconds for one whole submission
    workers: int = 1
    gradescope_dir: Path | None = None  # writes <dir>/<submission>/results.json
    max_file_size: int = submission.MAX_FILE_BYTES  # bytes a lesson file or notebook may have
    chosen_threads: int | None = None  # --threads; None: OMP_NUM_THREADS, else the CPUs divided among the workers

    @property
    def threads(self) -> int:
        """torch threads per submission: N workers must not oversubscribe the CPU."""
        return torch_threads(self.chosen_threads, self.workers)


@dataclass
class Row:
    """One submission's line in the gradebook."""

    submission: str
    # lesson id -> points, for the lessons asked for; None: not handed in (an empty cell, not a 0)
    scores: dict[str, int | None] = field(default_factory=dict)
    max_score: int = 0  # of every lesson asked for: the same in every row of a run
    status: str = OK

    @property
    def total(self) -> int:
        return sum(score or 0 for score in self.scores.values())

    def shown(self) -> tuple[str, str]:
        """The submission's name and status as they may be printed or stored: one line
        each, no control characters. Both can hold a student's text: a folder name, the
        last words of a grader that crashed on its submission."""
        return text.name(self.submission), text.name(self.status)


class Stopped(Exception):
    """The batch was interrupted before this submission started."""


class Graders:
    """The ``practice grade`` processes running now. Each runs in its own
    session (so that a timeout can kill its whole group), which also puts it
    out of reach of the terminal's Ctrl-C: ``stop`` kills them instead."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: set[subprocess.Popen] = set()
        self._stopped = False

    def run(self, command: list[str], env: dict[str, str], time_limit: float) -> tuple[int | None, str]:
        """Run ``command``; its exit status (None when it ran past ``time_limit``) and its stderr."""
        with self._lock:  # no process may start after `stop` has looked at the running ones
            if self._stopped:
                raise Stopped
            proc = subprocess.Popen(
                command,
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
                errors="replace",
                start_new_session=True,
            )
            self._running.add(proc)
        try:
            _, stderr = proc.communicate(timeout=time_limit)
            return proc.returncode, stderr
        except subprocess.TimeoutExpired:
            # The group is the grader; its sandboxed workers die with it (PR_SET_PDEATHSIG).
            _kill(proc)
            proc.communicate()
            return None, ""
        finally:
            with self._lock:
                self._running.discard(proc)

    def stop(self) -> None:
        """Kill every running grader and start no more."""
        with self._lock:
            self._stopped = True
            for proc in self._running:
                _kill(proc)


def _kill(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def submissions(folder: Path) -> tuple[list[Path], list[str]]:
    """The submissions in ``folder`` (sorted by name) and the names of the entries
    ignored: hidden ones, and files that are not notebooks."""
    found, ignored = [], []
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if not entry.name.startswith(".") and (entry.is_dir() or entry.suffix == ".ipynb"):
            found.append(entry)
        else:
            ignored.append(entry.name)
    return found, ignored


def _lesson_folder(entry: Path) -> Path:
    """A student's repository holds its lessons in exercises/; a plain copy holds them at the top.
    An exercises/ that is not a real folder (a link) is still the one used, and refused."""
    return entry / "exercises" if os.path.lexists(entry / "exercises") else entry


def _check(entry: Path, settings: Settings) -> tuple[str | None, list[str], set[str] | None]:
    """Why a submission cannot be graded at all (None when it can); why each
    of its lesson files that will score 0 is refused: links, FIFOs, devices, files
    over the size cap (grader.submission's rules, which `practice grade` applies again);
    and the lessons it handed in (None for a notebook: the lesson is named inside it;
    every lesson for a refused submission, which scores 0 in each)."""
    limit = settings.max_file_size
    try:
        if entry.suffix == ".ipynb":  # the rest of a notebook is judged by `practice grade`
            submission.check(entry.parent, entry.name, limit)
            return None, [], None
        lessons = _lesson_folder(entry).relative_to(entry.parent).as_posix()
        submission.check_folder(entry.parent, lessons)
    except submission.Refused as exc:  # handed in, and refused: every lesson scores 0
        return f"refused: {exc}", [], {lesson.id for lesson in settings.lessons}
    handed_in, refused = set(), []
    for lesson in settings.lessons:
        try:
            submission.check(entry.parent, f"{lessons}/{lesson.id}.py", limit)
            handed_in.add(lesson.id)
        except submission.Missing:
            pass
        except submission.Refused as exc:
            handed_in.add(lesson.id)
            refused.append(str(exc))
    return ("malformed: no lesson files" if not handed_in else None), refused, handed_in


def _command(entry: Path, settings: Settings, report: Path) -> list[str]:
    command = [sys.executable, "-m", "grader", "grade"]
    if entry.suffix == ".ipynb":  # a notebook is one lesson, named inside it
        command += ["--notebook", os.path.abspath(entry)]  # not resolved: a link is refused, never followed
    else:
        command += [*(lesson.id for lesson in settings.lessons), "--submission", os.path.abspath(_lesson_folder(entry))]
    command += ["--json", str(report), "--threads", str(settings.threads), *settings.options]
    if settings.gradescope_dir:
        command += ["--gradescope", str(settings.gradescope_dir / entry.name / "results.json")]
    return command


def _failure(returncode: int, stderr: str) -> str:
    """The status of a grader that wrote no report, from its exit status and last line."""
    last = (stderr.strip().splitlines() or [""])[-1]
    last = last.removeprefix("grader error: ").removeprefix("error: ")[:STATUS_WIDTH]
    if returncode == 2:  # `practice grade` refused the input: an unreadable notebook, ...
        return f"malformed: {last}"
    if returncode == 3:
        return f"grader error: {last}"
    try:
        how = f"killed by {signal.Signals(-returncode).name}" if returncode < 0 else f"exit status {returncode}"
    except ValueError:
        how = f"killed by signal {-returncode}"
    return f"crashed: {how}" + (f" ({last})" if last else "")


def grade_one(entry: Path, settings: Settings, graders: Graders | None = None) -> Row:
    """Grade one submission in its own ``practice grade`` process."""
    row = Row(
        entry.name,
        {lesson.id: None for lesson in settings.lessons},
        max_score=sum(lesson.points for lesson in settings.lessons),
    )
    reason, refused, handed_in = _check(entry, settings)
    row.scores.update(dict.fromkeys(handed_in or (), 0))  # a file handed in scores 0 until graded
    if reason:
        row.status = reason
        return row
    with tempfile.TemporaryDirectory(prefix="torch-practice-batch-", ignore_cleanup_errors=True) as tmp:
        # TMPDIR: whatever the grader leaves, even when killed for a timeout, goes with this folder;
        # OMP_NUM_THREADS: the grading process's own torch gets the same share as its worker (--threads)
        env = {
            **os.environ,
            "OMP_NUM_THREADS": str(settings.threads),
            "MKL_NUM_THREADS": str(settings.threads),
            "TMPDIR": tmp,
        }
        report = Path(tmp) / "report.json"
        try:
            returncode, stderr = (graders or Graders()).run(_command(entry, settings, report), env, settings.time_limit)
        except OSError as exc:
            row.status = f"grader error: cannot start it ({exc})"
            return row
        if returncode is None:
            row.status = f"timed out after {settings.time_limit:g} s"
        elif not report.exists():
            row.status = _failure(returncode, stderr)
        else:
            try:
                _fill(row, json.loads(report.read_text(encoding="utf-8")), handed_in)
            except (OSError, ValueError, KeyError, TypeError) as exc:
                row.status = f"grader error: unreadable report ({exc})"
    if refused and row.status == OK:  # the other lessons were graded; these scored 0
        row.status = "refused: " + "; ".join(refused)
    return row


# What stopped a lesson file before any check could see its functions, judged from the message
# the grader gives every check of that lesson. The grader writes the start of these messages
# (the host's time-out reason, the exception's type and where it was raised) before any text of
# the student's: code cannot make a message of its own start this way.
IMPORT_PROBLEMS = (
    ("timed out", "import timed out"),
    ("SyntaxError at ", "syntax error"),
    ("IndentationError at ", "syntax error"),
    ("", "import failed"),
)


def import_problem(lesson: dict) -> str | None:
    """``syntax error``, ``import timed out`` or ``import failed`` when every check of a
    lesson (a ``practice grade --json`` lesson) failed while importing its file; else None."""
    messages = {check.get("message", "").split("\n")[0] for check in lesson["checks"]}
    statuses = {check["status"] for check in lesson["checks"]}
    if len(messages) != 1 or statuses != {Status.FAILED}:
        return None
    [message] = messages
    if f" during import of {lesson['lesson']}.py" not in message:
        return None
    return next(problem for start, problem in IMPORT_PROBLEMS if message.startswith(start))


def _fill(row: Row, graded: dict, handed_in: set[str] | None = None) -> None:
    """Scores from a ``practice grade --json`` report, for the lessons asked for and
    handed in (``handed_in``; None: every lesson the report holds, as for a notebook)."""
    lessons = [
        lesson
        for lesson in graded["lessons"]
        if lesson["lesson"] in row.scores and (handed_in is None or lesson["lesson"] in handed_in)
    ]
    if not lessons:  # a notebook of a lesson not asked for
        others = ", ".join(lesson["lesson"] for lesson in graded["lessons"])
        row.status = f"not graded: holds {others}, not the lessons asked for"
        return
    row.scores.update({lesson["lesson"]: int(lesson["score"]) for lesson in lessons})
    problems = [f"{lesson['lesson'][:3]}: {problem}" for lesson in lessons if (problem := import_problem(lesson))]
    if problems:
        row.status = "; ".join(problems)[:STATUS_WIDTH]
    errors = [
        f"{lesson['lesson']}: {check['title']}"
        for lesson in lessons
        for check in lesson["checks"]
        if check["status"] == Status.ERROR
    ]
    if errors:  # scored as failed, but the grader's fault: the teacher must see it
        status = f"grader error in {len(errors)} check{'s' * (len(errors) != 1)} ({'; '.join(errors)})"
        row.status = status[:STATUS_WIDTH]


def grade_all(entries: list[Path], settings: Settings, done: Callable[[Row], None] = lambda row: None) -> list[Row]:
    """Grade every submission, ``settings.workers`` at a time; rows in the order of ``entries``.
    ``done`` is called in this thread as each submission finishes (for a progress bar)."""
    graders = Graders()
    pool = ThreadPoolExecutor(max_workers=settings.workers)
    futures = [pool.submit(grade_one, entry, settings, graders) for entry in entries]
    try:
        for future in as_completed(futures):
            done(future.result())
    except BaseException:  # Ctrl-C (or a bug): stop now, not after grading everything left
        pool.shutdown(wait=False, cancel_futures=True)
        graders.stop()
        raise
    pool.shutdown()
    return [future.result() for future in futures]


def columns(lessons: list[Lesson]) -> list[str]:
    return ["submission", *(lesson.id for lesson in lessons), "total", "max_score", "status"]


def cells(row: Row, lessons: list[Lesson]) -> Iterator[str | int]:
    submission, status = row.shown()
    yield submission
    yield from ("" if row.scores.get(lesson.id) is None else row.scores[lesson.id] for lesson in lessons)
    yield from (row.total, row.max_score, status)


def write_csv(path: Path, rows: list[Row], lessons: list[Lesson]) -> None:
    """The gradebook: one row per submission, in the order given (sorted by name).
    A cell a spreadsheet would read as a formula (``=HYPERLINK(...)``) is written as text."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(columns(lessons))
        writer.writerows([text.csv_cell(cell) for cell in cells(row, lessons)] for row in rows)


def summary(rows: list[Row]) -> str:
    """The table printed at the end: submission, total/max, status."""
    shown = [(*row.shown(), f"{row.total}/{row.max_score}") for row in rows]
    width = max([len("submission")] + [len(submission) for submission, _, _ in shown])
    lines = [f"{'submission':{width}}  {'score':>9}  status"]
    lines += [f"{submission:{width}}  {score:>9}  {status}" for submission, status, score in shown]
    return "\n".join(lines)
