"""Trusted side: the grader's handle on one sandboxed worker process.

``WorkerProcess`` starts the worker (``grader.sandbox.worker``) under the
limits of ``grader.sandbox.confine`` with a chosen number of torch threads
(``grader.sandbox.threads``), sends it one request at a time with a time
limit, keeps a trimmed copy of what it prints and shows the lines a
training driver reports. A time limit counts the worker's CPU time
(``grader.sandbox.cputime``), with a wall-clock backstop ``WALL_FACTOR``
times longer for code that sleeps or blocks. When a request's time limit is exceeded, or the
worker dies, the whole worker process group is killed, the request raises
``StudentError`` with a one-line reason, and the next request starts a fresh
worker; ``grader.sandbox.reaper`` kills what escaped the group. Suites never
see this class: they use the proxies of ``grader.sandbox.proxies``.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from grader import data, submission
from grader.drivers.common import TRAINING_FILE
from grader.sandbox import confine, reaper, threads
from grader.sandbox.cputime import CpuClock
from grader.sandbox.errors import GraderFault, StudentError, error_from_reply
from grader.sandbox.wire import TooLarge, Unreadable, dumps, loads, read_message, write_message

PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])
BOOT = "import sys; sys.path.insert(0, {root!r}); from grader.sandbox.worker import main; main({fd})"
START_TIMEOUT = 120.0  # CPU seconds; importing torch on a cold disk can take a while (the backstop is longer)
# The wall-clock backstop of every time limit, in times the limit: long enough for a loaded machine
# (a worker that gets a fifth of its CPUs still finishes), short enough to stop code that sleeps.
WALL_FACTOR = 5
CALL_LIMIT = "the time limit per call; a teacher can raise it with --timeout"
CHECK_LIMIT = "this check's own limit: time_limit= in its suite, grader/suites/"
TRAINING_LOOK_EVERY = 0.5  # seconds between looks at the line a training driver reports
OUTPUT_EXCERPT = 2000  # characters kept from each end of a long output
TRANSFER_GRACE = 5.0  # seconds a reply that has begun may take to arrive in full (256 MiB takes < 1 s)
FILE_SIZE_LIMIT = 1 << 30  # bytes per file the worker writes: its output, the dataset cache
MARKER = "TORCH_PRACTICE_SANDBOX"  # in the environment of every worker
# processes and threads of a root grader's worker, all it started included (torch starts one thread per core)
PROCESS_LIMIT = 256 + 4 * (os.cpu_count() or 1)


@dataclass
class WorkerConfig:
    lesson: str  # "l10_softmax"
    path: Path  # the lesson file; the worker imports a copy of it under the same name
    data_root: Path
    offline: bool = False
    call_timeout: float = 10.0  # CPU seconds per call (grader.sandbox.cputime); drivers pass their own
    memory_limit: int | None = None  # bytes of address space, None for no limit
    confine: bool = True  # confine the file system with Landlock where the kernel has it
    source: bytes | None = None  # the lesson file's bytes, read once by grader.submission; None: read them now
    data_files: tuple[Path, ...] = ()  # course files the worker may read, besides data.worker_dir
    threads: int | None = None  # torch's intra-op threads in the worker; None: grader.sandbox.threads chooses

    def __post_init__(self) -> None:
        if self.threads is None:
            self.threads = threads.torch_threads()
        if self.source is None:
            self.source = submission.read(self.path.parent, self.path.name)


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return str(number)


def excerpt(text: str, keep: int = OUTPUT_EXCERPT) -> str:
    """Head and tail of a long text, with a note of what was cut."""
    if len(text) <= 2 * keep:
        return text
    return f"{text[:keep]}\n... [{len(text) - 2 * keep} characters cut] ...\n{text[-keep:]}"


@dataclass
class WorkerProcess:
    """One sandboxed process serving one lesson; respawned after a crash."""

    config: WorkerConfig
    generation: int = 0  # bumped at each respawn: handles from older workers are stale
    # called with "epoch 3/8, loss 0.2871" while a driver trains, then None; display only
    on_training_line: Callable[[str | None], None] | None = None
    load_error: str | None = None  # the lesson file failed to import: no point retrying
    _proc: subprocess.Popen | None = None
    _conn: Connection | None = None
    _tmp: Path | None = None
    _scratch: Path | None = None
    _inbox: Path | None = None
    _output_fd: int | None = None  # the grader's own descriptor of the worker's output.txt
    _output_pos: int = 0
    _output: list[str] = field(default_factory=list)
    _uid: int | None = field(default_factory=confine.worker_uid)  # the worker's own uid when the grader is root

    # -- lifecycle ------------------------------------------------------
    @property
    def scratch(self) -> Path:
        """A folder the student's code may write to (the only one besides its
        own working folder), kept across restarts; for checks that pass a path.
        The grader never opens a path in it: see ``Student.read_file``."""
        if self._scratch is None:
            self._scratch = Path(tempfile.mkdtemp(prefix="torch-practice-scratch-"))
        return self._scratch

    @property
    def inbox(self) -> Path:
        """A folder the grader writes files into for the student's code, which
        may read it but not write it (Landlock), kept across restarts."""
        if self._inbox is None:
            self._inbox = Path(tempfile.mkdtemp(prefix="torch-practice-inbox-"))
        return self._inbox

    def _spawn(self) -> None:
        self.close()  # what an earlier start that failed half-way left (its folder) goes first
        self._tmp = Path(tempfile.mkdtemp(prefix="torch-practice-"))
        for folder in ("cwd", "tmp", "lesson"):
            (self._tmp / folder).mkdir()
        # The worker imports a copy of the bytes read once, when grading began: its
        # __file__ says nothing about where the repository is, and the file is not read again.
        lesson_copy = self._tmp / "lesson" / self.config.path.name
        lesson_copy.write_bytes(self.config.source)
        if self._uid is not None:  # the folders it writes are its own; the lesson copy stays root's
            confine.hand_over([self._tmp, self._tmp / "cwd", self._tmp / "tmp", self.scratch], self._uid)
        self._output_pos = 0
        ours, theirs = socket.socketpair()
        with self._open_output() as out:
            self._proc = subprocess.Popen(
                [sys.executable, "-I", "-c", BOOT.format(root=PACKAGE_ROOT, fd=theirs.fileno())],
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                pass_fds=(theirs.fileno(),),
                cwd=self._tmp / "cwd",  # outside the repository: no relative path to solutions/
                start_new_session=True,  # its own process group, killed as a whole
                preexec_fn=self._prepare_child,
                env=confine.worker_environment(
                    {
                        "PYTHONHASHSEED": "0",
                        "CUBLAS_WORKSPACE_CONFIG": ":4096:8",
                        MARKER: "1",
                        "HOME": str(self._tmp / "tmp"),
                        "USER": "student",
                        "LOGNAME": "student",  # none of the grader's
                        "TMPDIR": str(self._tmp / "tmp"),
                        "TORCHINDUCTOR_CACHE_DIR": str(self._tmp / "tmp"),
                        # torch.set_num_threads in the worker's start makes sure of the count
                        **threads.worker_variables(self.config.threads),
                        TRAINING_FILE: str(self._tmp / "training"),
                        # the cache the grader prepared, wherever the worker's HOME and uid would look
                        "TORCH_PRACTICE_CACHE": str(data.cache_dir(self.config.data_root)),
                    }
                ),
            )
        reaper.track(self._proc.pid)
        theirs.close()
        self._conn = Connection(ours.detach())
        os.set_blocking(self._conn.fileno(), False)  # read and written with deadlines (grader.sandbox.wire)
        self.generation += 1
        start = {
            "op": "start",
            "lesson": self.config.lesson,
            "package_root": PACKAGE_ROOT,
            "data_root": str(self.config.data_root),
            # what the worker may read of the data: never the root or the cache, where test labels are
            "worker_data": str(data.worker_dir(self.config.data_root)),
            "data_files": [str(p) for p in self.config.data_files],
            "data_dirs": [str(self.config.data_root), str(data.cache_dir(self.config.data_root))],
            "offline": self.config.offline,
            "threads": self.config.threads,
            "confine": self.config.confine,
            "writable": [str(self._tmp), str(self.scratch)],
            "readable": [str(self.inbox)],
        }
        try:
            confined = self._exchange(start, START_TIMEOUT, "the worker's start (importing torch)", "")
        except GraderFault:  # the lesson's driver failed to import: the worker serves nothing
            self.close()
            raise
        if self.config.confine and not confined:
            warn_once(
                "note: this kernel has no Landlock, so graded code can read any file you can "
                "(see README, Security model)"
            )
        load = {"op": "load", "lesson": self.config.lesson, "path": str(lesson_copy)}
        try:
            self._exchange(load, self.config.call_timeout, f"import of {self.config.path.name}", CALL_LIMIT)
        except StudentError as exc:
            self.load_error = str(exc)  # the file is broken: every later check fails the same way
            self.close()
            raise

    def _open_output(self) -> Any:
        """Create output.txt for the worker's stdout and keep a descriptor of
        it: the grader reads the output only through that descriptor, never by
        path, since the worker can replace the path (a link, a FIFO) at will."""
        fd = os.open(self._tmp / "output.txt", os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        self._output_fd = os.dup(fd)  # not inherited: the worker gets only its stdout
        return open(fd, "wb")

    def _prepare_child(self) -> None:
        """Runs in the worker between fork and exec. A root grader's worker
        becomes its own uid, under a process limit; every worker loses
        ``socket()`` for good."""
        if self._uid is not None:
            confine.limit_processes(PROCESS_LIMIT)
            confine.drop_privileges(self._uid)
        confine.deny_sockets()
        confine.die_with_parent()  # after the uid change, which would clear it
        confine.limit_resources(self.config.memory_limit, FILE_SIZE_LIMIT)

    def close(self) -> None:
        """Kill the worker and everything it started; remove its files."""
        if self._proc is not None:
            try:
                os.killpg(self._proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self._proc.wait()
            reaper.untrack(self._proc.pid)
            self._proc = None
            reaper.reap_orphans()
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if self._output_fd is not None:
            self._read_output()
            os.close(self._output_fd)
            self._output_fd = None
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None

    def dispose(self) -> None:
        """Close for good: also remove the scratch folder and the inbox."""
        self.close()
        for folder in (self._scratch, self._inbox):
            if folder is not None:
                shutil.rmtree(folder, ignore_errors=True)
        self._scratch = self._inbox = None

    # -- requests -------------------------------------------------------
    def request(self, message: dict, timeout: float | None, what: str) -> Any:
        """Send one request; return its decoded value or raise ``StudentError``.
        ``timeout``: the check's own limit in CPU seconds; None for the limit per call."""
        if self.load_error:
            raise StudentError(self.load_error)
        if self._proc is None:
            self._spawn()
        if timeout is None:
            return self._exchange(message, self.config.call_timeout, what, CALL_LIMIT)
        return self._exchange(message, timeout, what, CHECK_LIMIT)

    def _wait(self, clock: CpuClock, limit: float, deadline: float) -> str | None:
        """Wait until a reply begins (None), the worker has used ``limit`` CPU seconds
        ("cpu") or the wall-clock ``deadline`` passes ("wall"); show the training line meanwhile."""
        shown, ran_out = False, None
        while not self._conn.poll(max(0.0, min(TRAINING_LOOK_EVERY, deadline - time.monotonic()))):
            if (used := clock.used()) is not None and used >= limit:
                ran_out = "cpu"
                break
            if time.monotonic() >= deadline:
                ran_out = "wall"
                break
            if self.on_training_line and (text := training_line(self._tmp / "training")):
                shown = self._show(text)
        if shown:
            self._show(None)
        return None if self._conn.poll(0) else ran_out

    def _timed_out(self, clock: CpuClock, limit: float, ran_out: str, what: str, hint: str) -> str:
        """The one-line reason of a time-out: which limit ran out, and how a teacher raises it."""
        hint = f" ({hint})" if hint else ""
        if not clock.works:  # no CPU time to count here: the limit was on the wall clock
            return f"timed out after {limit:g} s during {what}{hint}"
        if ran_out == "cpu":
            return f"timed out: used {limit:g} s of CPU time during {what}{hint}"
        return (
            f"timed out: no answer after {limit * WALL_FACTOR:g} s of wall-clock time during {what} "
            f"(sleeping or blocked?), {WALL_FACTOR} times its CPU time limit{hint}"
        )

    def _show(self, text: str | None) -> bool:
        """Pass a training line to the display; a display that fails is switched off, never the check."""
        try:
            self.on_training_line(text)
            return True
        except Exception:  # noqa: BLE001 - a closed or odd terminal must not fail a check
            self.on_training_line = None
            return False

    def _exchange(self, message: dict, limit: float, what: str, hint: str) -> Any:
        """Send one request and decode its reply, within ``limit`` CPU seconds of the
        worker (``hint`` says how a teacher raises it). Everything the worker sends
        is bounded before the grader spends memory or time on it: the reply's
        size and arrival time here, its content in ``wire.loads``,
        its error strings in ``error_from_reply``, its printed output in ``_read_output``."""
        (self._tmp / "training").unlink(missing_ok=True)  # no stale training line from an earlier call
        clock = CpuClock(self._proc.pid, min(self.config.threads, threads.usable_cpus()))
        deadline = time.monotonic() + (limit * WALL_FACTOR if clock.works else limit)
        fd = self._conn.fileno()
        try:
            blob, reason = None, self._timed_out(clock, limit, "wall", what, hint)  # the request was not taken
            if write_message(fd, dumps(message), deadline):
                ran_out = self._wait(clock, limit, deadline)
                if ran_out:
                    reason = self._timed_out(clock, limit, ran_out, what, hint)
                else:
                    blob = read_message(fd, time.monotonic() + TRANSFER_GRACE)  # the worker sends a reply in one go
                    reason = f"{what} began a reply that did not arrive in full within {TRANSFER_GRACE:g} s"
        except TooLarge as exc:  # its bytes are still on the socket: this worker cannot go on
            blob, reason = None, f"{what} sent {exc}"
        except (EOFError, OSError):  # the worker closed the socket: it is exiting
            blob, reason = None, self._exit_reason(what)
        if blob is None:
            self.close()
            raise StudentError(reason)
        self._read_output()
        try:
            reply = loads(blob)
        except Unreadable as exc:
            raise StudentError(
                f"{what} returned data the grader cannot read: {exc} (only tensors, numbers, "
                "strings, lists, tuples and dicts cross the sandbox)"
            ) from None
        if not isinstance(reply, dict) or type(reply.get("ok")) is not bool:
            raise StudentError(f"{what}: garbled reply from the worker")
        if not reply["ok"]:
            raise error_from_reply(reply.get("error"), what, self.config.memory_limit)
        return reply.get("value")

    def _exit_reason(self, what: str) -> str:
        try:
            status = self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            return f"worker stopped answering during {what}"
        if status < 0:
            died = f"worker died: signal {-status} ({_signal_name(-status)}) during {what}"
            return died + (" (out of memory?)" if status == -signal.SIGKILL else "")
        return f"worker exited with status {status} during {what}"

    # -- student output -------------------------------------------------
    def _read_output(self) -> None:
        """Keep what the worker printed since the last look: at most the head
        and the tail of it, read with ``pread`` through the grader's own
        descriptor from the grader's own offset (the worker may move its file
        offset, truncate the file or replace its path; none of that matters)."""
        if self._output_fd is None:
            return
        size = os.fstat(self._output_fd).st_size
        start = min(self._output_pos, size)  # truncated by the worker: read on from its new end
        new, keep = size - start, OUTPUT_EXCERPT
        if new > 2 * keep:
            cut = f"\n... [{new - 2 * keep} bytes cut] ...\n".encode()
            data = os.pread(self._output_fd, keep, start) + cut + os.pread(self._output_fd, keep, size - keep)
        else:
            data = os.pread(self._output_fd, new, start)
        self._output_pos = size
        if data:
            self._output.append(self._short_paths(data.decode("utf-8", "replace")))

    def _short_paths(self, text: str) -> str:
        """``/tmp/torch-practice-x1y2/lesson/l03_autograd.py:12: UserWarning: ...`` (the copy
        the worker imports) as ``l03_autograd.py:12: ...``, so that the excerpt and the
        report's line width go to the message. Only shown: no verdict reads the output.
        Other paths stay as printed (a test reads them to see what the worker can tell)."""
        return text.replace(f"{self._tmp / 'lesson'}{os.sep}", "")

    def take_output(self) -> str:
        """What the student's code printed since the last call, shortened."""
        text = "".join(self._output)
        self._output.clear()
        return excerpt(text)


def training_line(path: Path) -> str | None:
    """``epoch 3/8, loss 0.2871`` from a training file (``3 8 0.2871``) the
    worker wrote; None when there is none or it is not in that form. The
    worker is untrusted: a symlink or a FIFO in its place is not followed or
    waited on, and the text shown is rebuilt from the numbers."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        raw = os.read(fd, 100) if stat.S_ISREG(os.fstat(fd).st_mode) else b""
    finally:
        os.close(fd)
    try:
        epoch, epochs, *loss = raw.decode("ascii").split()
        text = f"epoch {int(epoch)}/{int(epochs)}"
        return text + (f", loss {float(loss[0]):.4f}" if loss else "")
    except (UnicodeDecodeError, ValueError):
        return None


_warned: set[str] = set()


def warn_once(message: str) -> None:
    if message not in _warned:
        _warned.add(message)
        print(message, file=sys.stderr, flush=True)
