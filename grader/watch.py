"""``practice watch``: grade the current lesson every time its file is saved.

The file is polled (its size and modification time, a few times a second)
rather than watched with inotify: polling works on every file system,
including Docker and WSL mounts and network drives, where file events are
often lost. Keys (then Enter): ``n`` next lesson, ``h`` a hint, ``g`` or an
empty line grades again, ``q`` quits; Ctrl-C quits too. Watch never moves on
by itself: a finished lesson waits for ``n``.

A save made while a grading runs stops that grading (``stop_child``) and grades
the newer file: a verdict shown is always the last save's. A file that does not
parse is reported at once, from ``compile`` here on the trusted side, before any
grading process starts. While a check trains, its epoch and loss show on a line
per epoch: the grading run writes its training line to the file named by
``TRAINING_LINE_ENV`` (grader.plugin), which watch reads between looks at the file.

SIGTERM and SIGHUP (a closed terminal, ``kill``) stop watch as Ctrl-C does,
unwinding every ``with`` block: the grading run in progress is asked to stop
(``stop_child``) and the ``torch-practice-watch-*`` folder is removed.
"""

from __future__ import annotations

import json
import os
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
from grader.report import Status, gpu_text
from grader.submission import MAX_FILE_BYTES

# A grader: grades a lesson and returns what to show, or None when ``stale()`` said a newer save
# came (the grading was stopped); ``show`` gets the training line ("epoch 3/8, loss 0.2871").
Grader = Callable[..., str | None]

# environment: the file a ``practice grade`` run writes its current training line to (grader.plugin).
# Not TORCH_*: the worker inherits those (grader.sandbox.confine.WORKER_ENV), and it must not learn this path.
TRAINING_LINE_ENV = "PRACTICE_WATCH_TRAINING_LINE"
LOOK_EVERY = 0.2  # seconds between looks at a save, and at the training line, while a grading runs


def grade_summary(
    lesson: Lesson,
    extra: tuple[str, ...] = (),
    *,
    stale: Callable[[], bool] = lambda: False,
    show: Callable[[str], None] = lambda line: None,
) -> str | None:
    """Grade ``lesson`` in a fresh ``practice grade`` process (which also
    records progress) and summarise it: the score line and the first failing check.
    What it says may quote the student's code, so it is shown as clean text.
    Returns None, the grading stopped, as soon as ``stale()`` is true."""
    with tempfile.TemporaryDirectory(prefix="torch-practice-watch-") as tmp:
        report, training = Path(tmp) / "report.json", Path(tmp) / "training"
        # files, not pipes: nobody reads a pipe while the grading runs, and a full one would block it
        with (
            open(Path(tmp) / "stdout", "w+", errors="replace") as out,
            open(Path(tmp) / "stderr", "w+", errors="replace") as err,
        ):
            child = subprocess.Popen(
                [sys.executable, "-m", "grader", "grade", lesson.id, "--json", str(report), *extra],
                cwd=ROOT,
                stdout=out,
                stderr=err,
                env={**os.environ, TRAINING_LINE_ENV: str(training)},
            )
            try:
                if not wait_for(child, stale, lambda: show_new_line(training, show)):
                    stop_child(child, interrupted_too=False)
                    return None
            except BaseException as exc:  # Ctrl-C, SIGTERM, SIGHUP: the grading stops before its folder goes
                # a Ctrl-C on the terminal reached the child as well; stopping_on_signals names its signal
                stop_child(child, interrupted_too=isinstance(exc, KeyboardInterrupt) and not exc.args)
                raise
            if not report.exists():  # bad input or a broken grader: its own message says why
                return text.clean((read_back(err) or read_back(out)).strip())
        result = json.loads(report.read_text(encoding="utf-8"))
    return text.clean(summarise(lesson, result))


def read_back(file: TextIO) -> str:
    file.seek(0)
    return file.read()


def wait_for(child: subprocess.Popen, stale: Callable[[], bool], meanwhile: Callable[[], None]) -> bool:
    """Wait until ``child`` ends (True) or ``stale()`` is true (False), calling ``meanwhile`` between looks."""
    while True:
        try:
            child.wait(LOOK_EVERY)
            return True
        except subprocess.TimeoutExpired:
            pass
        if stale():
            return False
        meanwhile()


def show_new_line(training: Path, show: Callable[[str], None]) -> None:
    """Pass the training line the grading run wrote (grader.plugin) to ``show``."""
    try:
        line = training.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return
    if line:
        show(text.clean(line))


def syntax_problem(path: Path) -> str | None:
    """``syntax error at l04_linear_model.py:12: expected ':'`` and the line, when the
    file does not compile; None when it does or cannot be read (the grading says why).
    ``compile`` only parses: nothing of the file runs here."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return None
        source = path.read_bytes()
        compile(source, path.name, "exec", dont_inherit=True)
    except SyntaxError as exc:  # IndentationError and TabError too
        where = f"{path.name}:{exc.lineno}" if exc.lineno else path.name
        shown = [f"syntax error at {where}: {exc.msg}"]
        if exc.text and exc.text.strip():
            shown.append(f"  {exc.text.rstrip()}")
            if exc.offset and exc.offset > 0:
                indent = len(exc.text.rstrip()) - len(exc.text.rstrip().lstrip())
                shown.append("  " + " " * max(exc.offset - 1, indent) + "^")
        return text.clean("\n".join(shown))
    except (OSError, ValueError, RecursionError, MemoryError):  # unreadable, NUL bytes, nested too deep
        return None
    return None


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
    apart = f"  ({gpu_text(graded['needs_gpu'])})" if graded.get("needs_gpu") else ""
    lines = [f"{lesson.id}  {graded['score']}/{graded['max_score']} points  {graded['status']}{apart}"]
    failed = [c for c in graded["checks"] if c["status"] in (Status.FAILED, Status.ERROR)]
    if failed:
        first = failed[0]
        lines.append(f"first failing check: {first['title']} ({first['points']} pt{'s' * (first['points'] != 1)})")
        lines += [f"  {line}" for line in first["message"].splitlines()]
        if len(failed) > 1:
            lines.append(f"  ({len(failed) - 1} more failing; `practice grade {lesson.id}` shows all)")
    elif graded["score"] + graded.get("needs_gpu", 0) == lesson.points:
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
        self.epoch_shown = ""  # the epoch of the last training line shown
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
        """Grade the lesson's file, again from the start each time it is saved meanwhile."""
        self.echo(f"\n── {self.lesson.id} · {self.lesson.title} ── {time.strftime('%H:%M:%S')}")
        while True:
            self.epoch_shown = ""
            shown = syntax_problem(self.path)  # at once: no grading process for a file that cannot load
            if shown is None:
                shown = self.grade(self.lesson, stale=self.changed, show=self.show_training)
            if shown is not None:
                break
            self.echo(f"saved again at {time.strftime('%H:%M:%S')}: grading the newer {self.path.name}")
        self.echo(shown)
        self.echo(f"save {self.path.name} to grade again · h hint · n next lesson · q quit")

    def show_training(self, line: str) -> None:
        """``  training: epoch 3/8, loss 0.2871``, once per epoch."""
        epoch = line.partition(",")[0]
        if epoch != self.epoch_shown:
            self.epoch_shown = epoch
            self.echo(f"  training: {line}")

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
