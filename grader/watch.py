"""``practice watch``: grade the current lesson every time its file is saved.

The file is polled (its size and modification time, a few times a second)
rather than watched with inotify: polling works on every file system,
including Docker and WSL mounts and network drives, where file events are
often lost. Keys (then Enter): ``n`` next lesson, ``h`` a hint, ``g`` or an
empty line grades again, ``q`` quits; Ctrl-C quits too. Watch never moves on
by itself: a finished lesson waits for ``n``.
"""

from __future__ import annotations

import json
import select
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from grader import hints, progress, text
from grader.lessons import LESSONS, ROOT, Lesson
from grader.report import Status

Grader = Callable[[Lesson], str]  # grades a lesson, returns what to show


def grade_summary(lesson: Lesson, extra: tuple[str, ...] = ()) -> str:
    """Grade ``lesson`` in a fresh ``practice grade`` process (which also
    records progress) and summarise it: the score line and the first failing check.
    What it says may quote the student's code, so it is shown as clean text."""
    with tempfile.TemporaryDirectory(prefix="torch-practice-watch-") as tmp:
        report = Path(tmp) / "report.json"
        done = subprocess.run(
            [sys.executable, "-m", "grader", "grade", lesson.id, "--json", str(report), *extra],
            cwd=ROOT,
            capture_output=True,
            text=True,
            errors="replace",
        )
        if not report.exists():  # bad input or a broken grader: its own message says why
            return text.clean((done.stderr or done.stdout).strip())
        result = json.loads(report.read_text(encoding="utf-8"))
    return text.clean(summarise(lesson, result))


def summarise(lesson: Lesson, report: dict) -> str:
    """``l04_linear_model  5/8 points  not yet`` and the first failed check's message."""
    graded = report["lessons"][0]
    lines = [f"{lesson.id}  {graded['score']}/{graded['max_score']} points  {graded['status']}"]
    failed = [c for c in graded["checks"] if c["status"] in (Status.FAILED, Status.ERROR)]
    if failed:
        first = failed[0]
        lines.append(f"first failing check: {first['title']} ({first['points']} pt{'s' * (first['points'] != 1)})")
        lines += [f"  {line}" for line in first["message"].splitlines()]
        if len(failed) > 1:
            lines.append(f"  ({len(failed) - 1} more failing; `practice grade {lesson.id}` shows all)")
    elif graded["score"] == lesson.points:
        lines.append("done! press n then Enter for the next lesson")
    return "\n".join(lines)


class Watcher:
    """Reacts to saves of one lesson's file and to the student's keys."""

    def __init__(
        self,
        lesson: Lesson,
        grade: Grader = grade_summary,
        echo: Callable[[str], None] = print,
        exercises: Path = ROOT / "exercises",
    ) -> None:
        self.grade, self.echo, self.exercises = grade, echo, exercises
        self.running = True
        self.switch(lesson)

    @property
    def path(self) -> Path:
        return self.exercises / f"{self.lesson.id}.py"

    def _signature(self) -> tuple[int, int] | None:
        try:
            stat = self.path.stat()
        except OSError:
            return None
        return stat.st_mtime_ns, stat.st_size

    def switch(self, lesson: Lesson) -> None:
        self.lesson = lesson
        self.seen = self._signature()

    def changed(self) -> bool:
        """True once per save of the lesson's file."""
        now = self._signature()
        if now == self.seen:
            return False
        self.seen = now
        return True

    def run_grade(self) -> None:
        self.echo(f"\n── {self.lesson.id} · {self.lesson.title} ── {time.strftime('%H:%M:%S')}")
        self.echo(self.grade(self.lesson))
        self.echo(f"save {self.path.name} to grade again · h hint · n next lesson · q quit")

    def key(self, line: str) -> None:
        """One line the student typed."""
        command = line.strip().lower()
        if command in ("q", "quit", "exit"):
            self.running = False
        elif command in ("n", "next"):
            later = [
                le for le in LESSONS[LESSONS.index(self.lesson) + 1 :] if not progress.is_done(le, progress.results())
            ]
            if not later:
                self.echo("no unfinished lesson after this one")
                return
            self.switch(later[0])
            self.run_grade()
        elif command in ("h", "hint"):
            self.echo(hints.next_hint(self.lesson, progress.first_failed(self.lesson, progress.results())))
        elif command in ("", "g", "grade"):
            self.run_grade()
        else:
            self.echo(f"unknown key {command!r}: n next lesson · h hint · g grade again · q quit")

    def run(self, keys: TextIO | None, interval: float = 0.5) -> None:
        """Grade now, then on every save or key until ``q``, end of input or Ctrl-C."""
        self.run_grade()
        try:
            while self.running:
                if keys is not None and select.select([keys], [], [], interval)[0]:
                    line = keys.readline()
                    if line:
                        self.key(line)
                    else:
                        keys = None  # end of input (stdin closed): keep watching the file
                else:
                    if keys is None:
                        time.sleep(interval)
                if self.running and self.changed():
                    self.run_grade()
        except KeyboardInterrupt:
            pass
        self.echo("stopped watching")
