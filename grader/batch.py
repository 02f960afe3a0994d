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
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from grader.lessons import ROOT, Lesson

OK = "ok"


@dataclass
class Settings:
    lessons: list[Lesson]
    options: list[str]  # passed on to every `practice grade` (--timeout, --data-dir, --strict, ...)
    time_limit: float  # seconds for one whole submission
    workers: int = 1
    gradescope_dir: Path | None = None  # writes <dir>/<submission>/results.json

    @property
    def threads(self) -> int:
        """torch threads per submission: N workers must not oversubscribe the CPU."""
        return max(1, (os.cpu_count() or 1) // self.workers)


@dataclass
class Row:
    """One submission's line in the gradebook."""

    submission: str
    scores: dict[str, int] = field(default_factory=dict)  # lesson id -> points
    max_score: int = 0
    status: str = OK

    @property
    def total(self) -> int:
        return sum(self.scores.values())


def submissions(folder: Path) -> tuple[list[Path], list[str]]:
    """The submissions in ``folder`` (sorted by name) and the names of entries skipped."""
    found, skipped = [], []
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if entry.name.startswith("."):
            continue
        if entry.is_dir() or entry.suffix == ".ipynb":
            found.append(entry)
        else:
            skipped.append(entry.name)
    return found, skipped


def _malformed(entry: Path, lessons: list[Lesson]) -> str | None:
    """Why a folder cannot be graded at all (notebooks are judged by `practice grade`)."""
    if entry.is_dir():
        folder = entry / "exercises" if (entry / "exercises").is_dir() else entry
        if not any((folder / f"{lesson.id}.py").is_file() for lesson in lessons):
            return "malformed: no lesson files"
    return None


def _command(entry: Path, settings: Settings, report: Path) -> list[str]:
    command = [sys.executable, "-m", "grader", "grade"]
    if entry.suffix == ".ipynb":  # a notebook is one lesson, named inside it
        command += ["--notebook", str(entry)]
    else:
        folder = entry / "exercises" if (entry / "exercises").is_dir() else entry
        command += [*(lesson.id for lesson in settings.lessons), "--submission", str(folder)]
    command += ["--json", str(report), *settings.options]
    if settings.gradescope_dir:
        command += ["--gradescope", str(settings.gradescope_dir / entry.name / "results.json")]
    return command


def grade_one(entry: Path, settings: Settings) -> Row:
    """Grade one submission in its own ``practice grade`` process."""
    row = Row(entry.name, {lesson.id: 0 for lesson in settings.lessons},
              max_score=sum(lesson.points for lesson in settings.lessons))
    if reason := _malformed(entry, settings.lessons):
        row.status = reason
        return row
    with tempfile.TemporaryDirectory(prefix="torch-practice-batch-") as tmp:
        report = Path(tmp) / "report.json"
        env = {**os.environ, "OMP_NUM_THREADS": str(settings.threads), "MKL_NUM_THREADS": str(settings.threads)}
        # its own session, so that a timeout kills the whole group: grader and sandboxed workers
        proc = subprocess.Popen(_command(entry, settings, report), cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True, start_new_session=True)
        try:
            _, stderr = proc.communicate(timeout=settings.time_limit)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            row.status = f"timed out after {settings.time_limit:g} s"
            return row
        if not report.exists():
            last = (stderr.strip().splitlines() or [""])[-1].removeprefix("error: ")
            row.status = (f"malformed: {last}" if proc.returncode == 2 else
                          f"grader error: {last}" if proc.returncode == 3 else
                          f"crashed: exit status {proc.returncode}" + (f" ({last})" if last else ""))
            return row
        graded = json.loads(report.read_text())
    for lesson in graded["lessons"]:
        row.scores[lesson["lesson"]] = lesson["score"]
    row.max_score = graded["max_score"]
    return row


def grade_all(entries: list[Path], settings: Settings, done: Callable[[Row], None] = lambda row: None) -> list[Row]:
    """Grade every submission, ``settings.workers`` at a time; rows in the order of ``entries``.
    ``done`` is called in this thread as each submission finishes (for a progress bar)."""
    with ThreadPoolExecutor(max_workers=settings.workers) as pool:
        futures = {pool.submit(grade_one, entry, settings): entry for entry in entries}
        for future in as_completed(futures):
            done(future.result())
        return [future.result() for future in futures]


def columns(lessons: list[Lesson]) -> list[str]:
    return ["submission", *(lesson.id for lesson in lessons), "total", "max_score", "status"]


def cells(row: Row, lessons: list[Lesson]) -> Iterator[str | int]:
    yield row.submission
    yield from (row.scores.get(lesson.id, 0) for lesson in lessons)
    yield from (row.total, row.max_score, row.status)


def write_csv(path: Path, rows: list[Row], lessons: list[Lesson]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(columns(lessons))
        writer.writerows(list(cells(row, lessons)) for row in rows)


def summary(rows: list[Row]) -> str:
    width = max([len("submission")] + [len(row.submission) for row in rows])
    lines = [f"{'submission':{width}}  {'score':>9}  status"]
    lines += [f"{row.submission:{width}}  {f'{row.total}/{row.max_score}':>9}  {row.status}" for row in rows]
    return "\n".join(lines)
