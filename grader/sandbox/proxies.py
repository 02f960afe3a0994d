"""Trusted side: the proxies suites use to reach the student's code.

A suite never imports student code. It talks to a ``Student`` proxy:
``student.softmax(X)`` sends ``X`` to the worker, runs the student's
``softmax`` there and returns the result as a plain tensor;
``student.ResidualBlock(16)`` returns a ``Remote`` handle whose calls,
attributes and methods (``.parameters()``, ``.train()``, ``.state_dict()``)
also run in the worker. Every request goes through the grader's
``WorkerProcess`` (``grader.sandbox.host``), which enforces the limits.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from grader.sandbox.errors import GraderFault, StudentError
from grader.sandbox.host import WorkerProcess
from grader.sandbox.wire import HANDLE, clip, plain_tensor

READ_BACK_LIMIT = 8 << 20  # bytes of a file the student's code wrote that the grader takes back (a LeNet: 250 KB)


def ask(worker: WorkerProcess, message: dict, timeout: float | None, what: str) -> Any:
    """Send one request; return its value with handles as ``Remote`` proxies."""
    return decode(worker, worker.request(message, timeout, what))


def decode(worker: WorkerProcess, value: Any) -> Any:
    """Plain tensors and ``Remote`` handles from a reply that ``wire.loads`` checked:
    at most ``DEPTH_LIMIT`` deep, no container twice, tensors within the byte budget."""
    if isinstance(value, torch.Tensor):
        return plain_tensor(value)
    if isinstance(value, dict):
        if HANDLE in value:
            if type(value[HANDLE]) is not int:
                raise StudentError("garbled reply from the worker (a handle that is not a number)")
            return Remote(worker, {"handle": value[HANDLE]}, clip(value.get("type"), 100) or "object")
        return {k: decode(worker, v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(worker, v) for v in value]
    if isinstance(value, tuple):
        return tuple(decode(worker, v) for v in value)
    return value


def encode(value: Any) -> Any:
    """Arguments for the wire: plain tensors, and ``Remote`` proxies as their handles."""
    if isinstance(value, Remote):
        return value._wire()  # noqa: SLF001 - Remote's own wire form, in Remote's module
    if isinstance(value, torch.Tensor):
        return plain_tensor(value, keep_grad=True)
    if isinstance(value, dict):
        return {k: encode(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(encode(v) for v in value)
    return value


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


class Remote:
    """A function, class or object that lives in the worker.

    Calling it, reading an attribute or calling a method runs in the worker;
    plain data comes back as such, anything else as another ``Remote``.
    """

    def __init__(self, worker: WorkerProcess, ref: dict, label: str, forbid: tuple[str, ...] = ()) -> None:
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
            "args": encode(list(args)),
            "kwargs": encode(kwargs),
            "forbid": list(self._forbid),
            "backward": backward,
        }
        return ask(self._worker, message, timeout, f"{self._label}()")

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        label = f"{self._label}.{name}"
        value = ask(self._worker, {"op": "getattr", "target": self._target(), "name": name}, None, label)
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

    def __init__(self, worker: WorkerProcess) -> None:
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
        blob = ask(self._worker, message, None, f"reading back {name}")
        if blob is not None and (type(blob) is not bytes or len(blob) > READ_BACK_LIMIT):
            raise StudentError(
                f"reading back {name}: the sandbox sent something other than the file's bytes "
                f"(at most {READ_BACK_LIMIT >> 20} MB)"
            )
        return blob

    def take_output(self) -> str:
        """What the student's code printed since the last call, shortened (for the report)."""
        return self._worker.take_output()

    def __getattr__(self, name: str) -> Remote:
        if name.startswith("_"):
            raise AttributeError(name)
        return Remote(self._worker, {"name": name}, name)

    def backward(self, fn: Remote, *args: Any, grad_output: torch.Tensor | None = None, **kwargs: Any) -> Gradients:
        """Run ``fn(*args, **kwargs)`` in the worker, backpropagate
        ``grad_output`` (ones by default) and return the gradients."""
        reply = fn._call(args, kwargs, backward={"grad_output": encode(grad_output)})
        return Gradients(reply["value"], reply["inputs"], reply["params"])

    def run_driver(self, function: Callable[..., Any], *, time_limit: float, **kwargs: Any) -> Any:
        """Run ``function(student_module, **kwargs)`` in the worker and return its
        plain result. ``function`` is a driver of this lesson, a function of
        ``grader/drivers/<lesson>.py`` (training loops live there): the worker runs
        its own copy, found by name; the grader only names it."""
        lesson = self._worker.config.lesson
        if getattr(function, "__module__", None) != f"grader.drivers.{lesson}":
            raise GraderFault(f"grader error: {function!r} is not a driver of {lesson} (grader/drivers/{lesson}.py)")
        name = function.__name__
        message = {"op": "driver", "name": name, "kwargs": encode(kwargs)}
        return ask(self._worker, message, time_limit, f"{name}()")
