"""Trusted side of the sandbox: the worker process and the proxies suites use.

A suite never imports student code. It talks to a ``Student`` proxy:
``student.softmax(X)`` sends ``X`` to the worker, runs the student's
``softmax`` there and returns the result as a plain tensor;
``student.ResidualBlock(16)`` returns a ``Remote`` handle whose calls,
attributes and methods (``.parameters()``, ``.train()``, ``.state_dict()``)
also run in the worker.

Each request has a time limit. When it is exceeded, or the worker dies, the
whole worker process group is killed, the request raises ``StudentError`` with
a one-line reason, and the next request starts a fresh worker. A grading
process that calls ``become_subreaper()`` also inherits whatever escaped the
process group (a daemon that called ``setsid``) and kills it when a worker
closes: nothing a submission starts outlives its grading.
"""

from __future__ import annotations

import ctypes
import io
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Callable

import torch

from grader import data, feedback, sandbox, submission
from grader.channel import (HANDLE, TooLarge, Unreadable, clip, dumps, loads, plain_tensor, read_message, read_pickle,
                            write_message)

PACKAGE_ROOT = str(Path(__file__).resolve().parent.parent)
BOOT = "import sys; sys.path.insert(0, {root!r}); from grader.worker import main; main({fd})"
START_TIMEOUT = 120.0  # importing torch on a cold disk can take a while
PROGRESS_EVERY = 0.5  # seconds between looks at a training's progress file
OUTPUT_EXCERPT = 2000  # characters kept from each end of a long output
TRANSFER_GRACE = 5.0  # seconds a reply that has begun may take to arrive in full (256 MiB takes < 1 s)
FILE_SIZE_LIMIT = 1 << 30  # bytes per file the worker writes: its output, the dataset cache
MARKER = "TORCH_PRACTICE_SANDBOX"  # in the environment of every worker
READ_BACK_LIMIT = 8 << 20  # bytes of a file the student's code wrote that the grader takes back (a LeNet: 250 KB)
# processes and threads of a root grader's worker, all it started included (torch starts one thread per core)
PROCESS_LIMIT = 256 + 4 * (os.cpu_count() or 1)
_live: set[int] = set()  # pids of running workers
_reaping = False  # set by become_subreaper()


class StudentError(Exception):
    """A check failed because of what the student's code did (raised,
    timed out, crashed, returned something unreadable). ``str()`` is the
    one-line reason shown in the score table."""

    def __init__(self, reason: str, error_type: str = "") -> None:
        super().__init__(reason)
        self.error_type = error_type


class GraderFault(Exception):
    """A check could not be graded because grader code failed (a driver raised,
    a driver name does not exist): the grader's fault, never the student's.
    ``str()`` names where in the grader it happened; the check's status is
    "error" and ``practice grade`` exits 3."""


@dataclass
class WorkerConfig:
    lesson: str  # "l10_softmax"
    path: Path  # the lesson file; the worker imports a copy of it under the same name
    data_root: Path
    offline: bool = False
    call_timeout: float = 10.0  # seconds per call; drivers pass their own
    memory_limit: int | None = None  # bytes of address space, None for no limit
    confine: bool = True  # confine the file system with Landlock where the kernel has it
    source: bytes | None = None  # the lesson file's bytes, read once by grader.submission; None: read them now
    data_files: tuple[Path, ...] = ()  # course files the worker may read, besides data.worker_dir

    def __post_init__(self) -> None:
        if self.source is None:
            self.source = submission.read(self.path.parent, self.path.name)


def gib(n: int) -> str:
    return f"{n / (1 << 30):g} GiB"


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
class Worker:
    """One sandboxed process serving one lesson; respawned after a crash."""

    config: WorkerConfig
    generation: int = 0  # bumped at each respawn: handles from older workers are stale
    # called with "epoch 3/8, loss 0.2871" while a driver trains, then None; display only
    on_progress: Callable[[str | None], None] | None = None
    load_error: str | None = None  # the lesson file failed to import: no point retrying
    _proc: subprocess.Popen | None = None
    _conn: Connection | None = None
    _tmp: Path | None = None
    _scratch: Path | None = None
    _inbox: Path | None = None
    _output_fd: int | None = None  # the grader's own descriptor of the worker's output.txt
    _output_pos: int = 0
    _output: list[str] = field(default_factory=list)
    _uid: int | None = field(default_factory=sandbox.worker_uid)  # the worker's own uid when the grader is root

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
            sandbox.hand_over([self._tmp, self._tmp / "cwd", self._tmp / "tmp", self.scratch], self._uid)
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
                env=sandbox.worker_environment({
                    "PYTHONHASHSEED": "0", "CUBLAS_WORKSPACE_CONFIG": ":4096:8", MARKER: "1",
                    "HOME": str(self._tmp / "tmp"), "USER": "student", "LOGNAME": "student",  # none of the grader's
                    "TMPDIR": str(self._tmp / "tmp"), "TORCHINDUCTOR_CACHE_DIR": str(self._tmp / "tmp"),
                    "TORCH_PRACTICE_PROGRESS": str(self._tmp / "progress"),
                    # the cache the grader prepared, wherever the worker's HOME and uid would look
                    "TORCH_PRACTICE_CACHE": str(data.cache_dir(self.config.data_root))}),
            )
        _live.add(self._proc.pid)
        theirs.close()
        self._conn = Connection(ours.detach())
        os.set_blocking(self._conn.fileno(), False)  # read and written with deadlines (grader.channel)
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
            "confine": self.config.confine,
            "writable": [str(self._tmp), str(self.scratch)],
            "readable": [str(self.inbox)],
        }
        confined = self._exchange(start, START_TIMEOUT, "the worker's start (importing torch)")
        if self.config.confine and not confined:
            _warn_once("note: this kernel has no Landlock, so graded code can read any file you can "
                       "(see README, Security model)")
        load = {"op": "load", "lesson": self.config.lesson, "path": str(lesson_copy)}
        try:
            self._exchange(load, self.config.call_timeout, f"import of {self.config.path.name}")
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
            sandbox.limit_processes(PROCESS_LIMIT)
            sandbox.drop_privileges(self._uid)
        sandbox.deny_sockets()
        sandbox.die_with_parent()  # after the uid change, which would clear it
        sandbox.limit_resources(self.config.memory_limit, FILE_SIZE_LIMIT)

    def close(self) -> None:
        """Kill the worker and everything it started; remove its files."""
        if self._proc is not None:
            try:
                os.killpg(self._proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self._proc.wait()
            _live.discard(self._proc.pid)
            self._proc = None
            reap_orphans()
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
        """Send one request; return its decoded value or raise ``StudentError``."""
        if self.load_error:
            raise StudentError(self.load_error)
        if self._proc is None:
            self._spawn()
        return self._exchange(message, timeout or self.config.call_timeout, what)

    def _wait(self, deadline: float) -> bool:
        """Wait until a reply begins or ``deadline`` passes, showing training progress meanwhile."""
        shown = False
        while not self._conn.poll(max(0.0, min(PROGRESS_EVERY, deadline - time.monotonic()))):
            if time.monotonic() >= deadline:
                break
            if self.on_progress and (text := progress_text(self._tmp / "progress")):
                shown = self._show(text)
        if shown:
            self._show(None)
        return self._conn.poll(0)

    def _show(self, text: str | None) -> bool:
        """Pass progress to the display; a display that fails is switched off, never the check."""
        try:
            self.on_progress(text)
            return True
        except Exception:  # noqa: BLE001 - a closed or odd terminal must not fail a check
            self.on_progress = None
            return False

    def _exchange(self, message: dict, timeout: float, what: str) -> Any:
        """Send one request and decode its reply. Everything the worker sends
        is bounded before the grader spends memory or time on it: the reply's
        size and arrival time here, its content in ``grader.channel.loads``,
        its error strings in ``_error_from``, its printed output in ``_read_output``."""
        (self._tmp / "progress").unlink(missing_ok=True)  # no stale progress from an earlier call
        deadline = time.monotonic() + timeout
        fd = self._conn.fileno()
        try:
            blob, reason = None, f"timed out after {timeout:g} s during {what}"
            if timeout == self.config.call_timeout:
                reason += " (the time limit per call; a teacher can raise it with --timeout)"
            if write_message(fd, dumps(message), deadline) and self._wait(deadline):
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
            raise StudentError(f"{what} returned data the grader cannot read: {exc} (only tensors, numbers, "
                               "strings, lists, tuples and dicts cross the sandbox)") from None
        if not isinstance(reply, dict) or type(reply.get("ok")) is not bool:
            raise StudentError(f"{what}: garbled reply from the worker")
        if not reply["ok"]:
            raise _error_from(reply.get("error"), what, self.config.memory_limit)
        return self._decode(reply.get("value"))

    def _exit_reason(self, what: str) -> str:
        try:
            status = self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            return f"worker stopped answering during {what}"
        if status < 0:
            died = f"worker died: signal {-status} ({_signal_name(-status)}) during {what}"
            return died + (" (out of memory?)" if status == -signal.SIGKILL else "")
        return f"worker exited with status {status} during {what}"

    def _decode(self, value: Any) -> Any:
        """Plain tensors and ``Remote`` handles from a reply that ``loads`` checked:
        at most ``DEPTH_LIMIT`` deep, no container twice, tensors within the byte budget."""
        if isinstance(value, torch.Tensor):
            return plain_tensor(value)
        if isinstance(value, dict):
            if HANDLE in value:
                if type(value[HANDLE]) is not int:
                    raise StudentError("garbled reply from the worker (a handle that is not a number)")
                return Remote(self, {"handle": value[HANDLE]}, clip(value.get("type"), 100) or "object")
            return {k: self._decode(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self._decode(v) for v in value]
        if isinstance(value, tuple):
            return tuple(self._decode(v) for v in value)
        return value

    def encode(self, value: Any) -> Any:
        if isinstance(value, Remote):
            return value._wire()
        if isinstance(value, torch.Tensor):
            return plain_tensor(value, keep_grad=True)
        if isinstance(value, dict):
            return {k: self.encode(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return type(value)(self.encode(v) for v in value)
        return value

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
            self._output.append(data.decode("utf-8", "replace"))

    def take_output(self) -> str:
        """What the student's code printed since the last call, shortened."""
        text = "".join(self._output)
        self._output.clear()
        return excerpt(text)


def progress_text(path: Path) -> str | None:
    """``epoch 3/8, loss 0.2871`` from a progress file (``3 8 0.2871``) the
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


def plain_name(name: str) -> str:
    """``name`` itself when it names a file directly inside a folder (no
    ``/``, not ``.`` or ``..``); a ValueError otherwise (a bug in a suite)."""
    if not name or "/" in name or "\0" in name or name in (".", ".."):
        raise ValueError(f"not a plain file name: {name!r}")
    return name


def write_new(folder: Path, name: str, data: bytes) -> Path:
    """Create ``folder/name`` holding ``data``. Never follows a link (not
    even one put where ``folder`` was) and never replaces what is there:
    ``FileExistsError`` instead."""
    folder_fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    try:
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
        fd = os.open(plain_name(name), flags, 0o644, dir_fd=folder_fd)
    finally:
        os.close(folder_fd)
    with open(fd, "wb") as f:
        f.write(data)
    return folder / name


def torch_bytes(value: Any) -> bytes:
    """What ``torch.save(value, path)`` would write, for ``Student.put_file``."""
    buffer = io.BytesIO()
    torch.save(value, buffer)
    return buffer.getvalue()


def load_plain(blob: bytes) -> Any:
    """Decode a torch file the student's code wrote (bytes from
    ``Student.read_file``) with ``weights_only=True``, so that nothing in it
    can run code here. The archive must pass the channel's checks (the zip
    that ``torch.save`` writes, entries stored uncompressed: a compressed
    entry of a few KB could unpack into gigabytes in the grader); its pickle
    may hold more than a message (a state_dict's metadata), which
    ``weights_only`` vets. Raises ValueError with a one-line reason."""
    try:
        read_pickle(blob)
    except Unreadable as exc:
        raise ValueError(f"not a file torch.save writes: {exc}") from None
    try:
        return torch.load(io.BytesIO(blob), weights_only=True)
    except Exception as exc:  # noqa: BLE001 - whatever refuses it, the file holds more than plain data
        lines = [line.strip() for line in str(exc).splitlines() if line.strip()] or [type(exc).__name__]
        # the line that names what was refused, not the advice around it
        reason = next((line for line in lines if "GLOBAL" in line or line.startswith("WeightsUnpickler")), lines[0])
        raise ValueError(f"torch.load(weights_only=True) refuses it: {reason[:200]}") from None


def _error_from(error: Any, what: str, memory_limit: int | None = None) -> StudentError:
    """The ``StudentError`` for an error reply; its strings are cut to
    ``TEXT_LIMIT`` here, before any pattern or formatting runs over them."""
    if not isinstance(error, dict):
        return StudentError(f"{what} failed")
    kind, message, where = (clip(error.get(k)) for k in ("type", "message", "where"))
    at = f" at {where}" if where else ""
    if kind == "NotImplementedError":
        return StudentError(f"not implemented yet: {message or what}{at}", kind)
    first_line = message.strip().splitlines()[0] if message.strip() else ""
    reason = f"{kind}{at} during {what}: {first_line}"[:300]
    if memory_limit and (kind == "MemoryError" or "can't allocate memory" in message):
        reason += f"\nhint: the worker's memory limit is {gib(memory_limit)}; a teacher can change it with --memory"
    if tip := feedback.advice(message):
        reason += f"\nhint: {tip}"
    return StudentError(reason, kind)


_warned: set[str] = set()


def _warn_once(message: str) -> None:
    if message not in _warned:
        _warned.add(message)
        print(message, file=sys.stderr, flush=True)


# -- processes that escaped their worker's process group ---------------------
def become_subreaper() -> None:
    """Adopt orphaned descendants of this process (Linux), so that
    ``reap_orphans`` finds a daemon that left its worker's process group."""
    global _reaping
    try:
        _reaping = ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0) == 0  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        _reaping = False


def reap_orphans() -> None:
    """Kill every process this grading process adopted (anything that is
    not a running worker), with all its descendants, and reap it."""
    if not _reaping:
        return
    for _ in range(50):  # each round adopts the children of what the last one killed
        parents = _parents()
        orphans = [pid for pid, parent in parents.items() if parent == os.getpid() and pid not in _live]
        if not orphans:
            return
        for pid in _with_descendants(orphans, parents):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        for pid in orphans:
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass


def _parents() -> dict[int, int]:
    """pid -> parent pid for every process visible in /proc."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    parents[int(entry)] = int(f.read().rpartition(")")[2].split()[1])
            except (OSError, ValueError, IndexError):
                pass  # it exited meanwhile
    return parents


def _with_descendants(roots: list[int], parents: dict[int, int]) -> list[int]:
    found, frontier = list(roots), list(roots)
    while frontier:
        frontier = [pid for pid, parent in parents.items() if parent in frontier]
        found += frontier
    return found


class Remote:
    """A function, class or object that lives in the worker.

    Calling it, reading an attribute or calling a method runs in the worker;
    plain data comes back as such, anything else as another ``Remote``.
    """

    def __init__(self, worker: Worker, ref: dict, label: str, forbid: tuple[str, ...] = ()) -> None:
        self._worker = worker
        self._ref = ref
        self._label = label
        self._forbid = forbid
        self._generation = worker.generation

    def _wire(self) -> dict:
        if "handle" in self._ref:
            if self._generation != self._worker.generation:
                raise StudentError(f"{self._label} was lost when the worker restarted after an earlier failure")
            return {HANDLE: self._ref["handle"]}
        raise TypeError(f"{self._label} cannot be passed as an argument")

    def _target(self) -> dict:
        if "handle" in self._ref:
            self._wire()  # raises if stale
        return self._ref

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._call(args, kwargs, backward=None)

    def _call(self, args: tuple, kwargs: dict, backward: dict | None, timeout: float | None = None) -> Any:
        message = {
            "op": "call",
            "target": self._target(),
            "args": self._worker.encode(list(args)),
            "kwargs": self._worker.encode(kwargs),
            "forbid": list(self._forbid),
            "backward": backward,
        }
        return self._worker.request(message, timeout, f"{self._label}()")

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        label = f"{self._label}.{name}"
        value = self._worker.request({"op": "getattr", "target": self._target(), "name": name}, None, label)
        if isinstance(value, Remote):
            value._label = label
        return value

    def forbidding(self, *names: str) -> Remote:
        """The same callable, run with the named torch functions replaced by
        ones that raise: ``student.softmax.forbidding("torch.softmax")(X)``."""
        return Remote(self._worker, self._ref, self._label, self._forbid + names)

    def __repr__(self) -> str:
        return f"<{self._label} in the sandbox>"


@dataclass
class Gradients:
    """Result of ``Student.backward``: the output, the gradients of the
    tensor arguments that had ``requires_grad=True`` (in argument order) and,
    for a module, of its parameters by name."""

    value: torch.Tensor
    inputs: list[torch.Tensor | None]
    params: dict[str, torch.Tensor | None]


class Student:
    """The implementation under test, as seen from a suite."""

    def __init__(self, worker: Worker) -> None:
        self._worker = worker

    # -- files: the only way suites exchange files with the student's code ------
    @property
    def scratch(self) -> Path:
        """The folder where the student's code may write files
        (``save_tensor(t, str(student.scratch / "ours.pt"))``): it may write
        nowhere else. A suite only builds paths in it for the student's code;
        it reads what was written with ``read_file``, never by path, because
        the worker can put a link or a FIFO under any name there at any time."""
        return self._worker.scratch

    def put_file(self, name: str, data: bytes) -> str:
        """Write ``data`` as a new file ``name`` in the inbox, a folder the
        student's code can read but not write, and return its path for that
        code. Created exclusively, through no link: a name used twice is an
        error in the suite."""
        return str(write_new(self._worker.inbox, name, data))

    def read_file(self, name: str) -> bytes | None:
        """The bytes of the file ``name`` the student's code wrote in
        ``scratch``, or None when there is none. The worker reads it (with
        ``grader.drivers.files.read_file``, which the lesson's driver
        re-exports; it refuses a link, a FIFO or anything but a plain file of
        at most ``READ_BACK_LIMIT`` bytes) and sends the bytes;
        they are checked again here, since the worker may lie. Decode a torch
        file with ``load_plain``."""
        path = self.scratch / plain_name(name)
        message = {"op": "driver", "name": "read_file", "kwargs": {"path": str(path), "limit": READ_BACK_LIMIT}}
        blob = self._worker.request(message, None, f"reading back {name}")
        if blob is not None and (type(blob) is not bytes or len(blob) > READ_BACK_LIMIT):
            raise StudentError(f"reading back {name}: the sandbox sent something other than the file's bytes "
                               f"(at most {READ_BACK_LIMIT >> 20} MB)")
        return blob

    def __getattr__(self, name: str) -> Remote:
        if name.startswith("_"):
            raise AttributeError(name)
        return Remote(self._worker, {"name": name}, name)

    def backward(self, fn: Remote, *args: Any, grad_output: torch.Tensor | None = None, **kwargs: Any) -> Gradients:
        """Run ``fn(*args, **kwargs)`` in the worker, backpropagate
        ``grad_output`` (ones by default) and return the gradients."""
        reply = fn._call(args, kwargs, backward={"grad_output": self._worker.encode(grad_output)})
        return Gradients(reply["value"], reply["inputs"], reply["params"])

    def run_driver(self, function: Callable[..., Any], *, time_limit: float, **kwargs: Any) -> Any:
        """Run ``function(student_module, **kwargs)`` in the worker and return its
        plain result. ``function`` is a driver of this lesson, a function of
        ``grader/drivers/<lesson>.py`` (training loops live there): the worker runs
        its own copy, found by name; the grader only names it."""
        lesson = self._worker.config.lesson
        if getattr(function, "__module__", None) != f"grader.drivers.{lesson}":
            raise TypeError(f"{function!r} is not a driver of {lesson} (grader/drivers/{lesson}.py)")
        name = function.__name__
        message = {"op": "driver", "name": name, "kwargs": self._worker.encode(kwargs)}
        return self._worker.request(message, time_limit, f"{name}()")
