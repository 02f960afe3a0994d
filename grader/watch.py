"""``practice watch``: grade the current lesson every time its file is saved.

The file is polled (its size and modification time, a few times a second)
rather than watched with inotify: polling works on every file system,
including Docker and WSL mounts and network drives, where file events are
often lost. Keys (then Enter): ``n`` next lesson, ``h`` a hint, ``g`` or an
empty line grades again, ``q`` quits; Ctrl-C quits too. Watch never moves on
by itself: a finished lesson waits for ``n``.

SIGTERM and SIGHUP (a closed terminal, ``kill``) stop watch as Ctrl-C does,
unwinding every ``with`` block: the grading run in progress is asked to stop
(``stop_child``) and the ``torch-practice-watch-*`` folder is removed.
"""

from __future__ import annotations

import json
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from grader import hints, progress, release, text
from grader.lessons import LESSONS, ROOT, Lesson
from grader.report import Status

Grader = Callable[[Lesson], str]  # grades a lesson, returns what to show


def grade_summary(lesson: Lesson, extra: tuple[str, ...] = ()) -> str:
    """Grade ``lesson`` in a fresh ``practice grade`` process (which also
    records progress) and summarise it: the score line and the first failing check.
    What it says may quote the student's code, so it is shown as clean text."""
    with tempfile.TemporaryDirectory(prefix="torch-practice-watch-") as tmp:
        report = Path(tmp) / "report.json"
        child = subprocess.Popen(
            [sys.executable, "-m", "grader", "grade", lesson.id, "--json", str(report), *extra],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            errors="replace",
        )
        try:
            stdout, stderr = child.communicate()
        except BaseException as exc:  # Ctrl-C, SIGTERM, SIGHUP: the grading stops before its folder goes
            # a Ctrl-C on the terminal reached the child as well; stopping_on_signals names its signal
            stop_child(child, interrupted_too=isinstance(exc, KeyboardInterrupt) and not exc.args)
            raise
        if not report.exists():  # bad input or a broken grader: its own message says why
            return text.clean((stderr or stdout).strip())
        result = json.loads(report.read_text(encoding="utf-8"))
    return text.clean(summarise(lesson, result))


STOP_GRACE = 10.0  # seconds a stopped grading run gets to remove its sandboxes


def stop_child(child: subprocess.Popen, interrupted_too: bool) -> None:
    """Stop a ``practice grade`` run with SIGINT, which it handles as Ctrl-C (pytest
    unwinds, each sandbox removes its folders), and SIGKILL only if that does not end
    it. A child the terminal's Ctrl-C reached too (``interrupted_too``) first gets the
    time to end alone: a second SIGINT would cut its unwinding short."""
    asks = [None, signal.SIGINT, signal.SIGKILL] if interrupted_too else [signal.SIGINT, signal.SIGKILL]
    for ask in asks:
        if ask is not None:
            child.send_signal(ask)
        try:
            child.wait(STOP_GRACE)
            return
        except subprocess.TimeoutExpired:
            continue
        except KeyboardInterrupt:  # one more Ctrl-C: no more waiting
            child.kill()
            child.wait()
            raise


@contextmanager
def stopping_on_signals() -> Iterator[None]:
    """While the block runs, SIGTERM and SIGHUP raise ``KeyboardInterrupt`` as Ctrl-C does,
    so that every ``with`` block unwinds (Python's default for them is to die on the spot).
    Only the main thread can set handlers: elsewhere the block runs as it is."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt(signal.Signals(signum).name)

    previous = {signum: signal.signal(signum, interrupt) for signum in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


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
        lines.append(f"{release.done_word(lesson.id)}! press n then Enter for the next lesson")
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
        """Grade now, then on every save or key until ``q``, end of input, Ctrl-C,
        SIGTERM or SIGHUP."""
        try:
            with stopping_on_signals():
                self._loop(keys, interval)
        except KeyboardInterrupt:
            pass
        self.echo("stopped watching")

    def _loop(self, keys: TextIO | None, interval: float) -> None:
        self.run_grade()
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
