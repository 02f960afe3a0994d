"""Runs inside the sandbox: the worker, the only process that imports student code.

It is started by ``grader.sandbox.host.WorkerProcess`` with a socket on which it serves
requests, one at a time: import the lesson file, call a function or a method,
read an attribute, run a driver (``grader/drivers``) that trains the student's
model. Every answer is plain data (see ``grader.sandbox.wire``); verdicts are never
computed here, because anything in this process can be tampered with.

Before the student's file is imported, the worker loads the lesson's driver,
forgets the repository's packages, refuses imports of ``grader`` and
``solutions``, and confines itself (``grader.sandbox.confine``) so that the
repository cannot be read at all. It then records the global state graded
code could tamper with (default dtype, threads, grad mode, warning filters,
``sys.path``, builtins and the torch namespaces) and restores it before
every request, so that one call cannot change how the next is run.

An error reply says whose code raised (``describe_error``): the student's
lesson file or the grader's own code (a driver), so that the host can report
a grader fault as the grader's.
"""

from __future__ import annotations

import builtins
import collections.abc
import functools
import importlib
import importlib.abc
import importlib.util
import inspect
import os
import random
import sys
import traceback
import types
import warnings
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, NoReturn

import numpy as np
import torch
import torch.nn.functional
import torch.testing
from torch.overrides import TorchFunctionMode

from grader import data
from grader import forbid as forbid_module
from grader.drivers.common import STUDENTS_FAULT
from grader.forbid import ForbiddenCall, KernelRefusal, off_limits, pop_mode, push_mode
from grader.sandbox import confine
from grader.sandbox.wire import HANDLE, dumps, loads, plain_tensor

BLOCKED_PACKAGES = ("grader", "solutions")
SCALARS = (bool, int, float, complex, str, bytes)
# Namespaces whose attributes graded code might monkeypatch; restored before each request.
NAMESPACES = (builtins, torch, torch.Tensor, torch.nn.functional, torch.testing, np)
SYSTEM_DIRS = ("/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin", "/opt", "/proc", "/sys")


class RefuseImports(importlib.abc.MetaPathFinder):
    """A finder, first on ``sys.meta_path``, that refuses the blocked packages."""

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> None:
        if name.partition(".")[0] in BLOCKED_PACKAGES:
            raise ImportError(f"importing {name!r} is not allowed in graded code")
        return None


def warn_at_the_lesson_line(lesson_file: str) -> None:
    """Show a warning torch raises inside the ``Forbidding`` mode at the lesson's own
    line (``l03_autograd.py:12: UserWarning: The .grad attribute ...``): torch names the
    innermost Python frame, which is the mode's ``__torch_function__`` in this file, so
    the student would read this file's path and line instead of their own. Display only."""
    show = warnings.showwarning

    def showwarning(message, category, filename, lineno, file=None, line=None) -> None:  # noqa: ANN001 - warnings'
        if filename == __file__:
            frame = sys._getframe(1)  # noqa: SLF001 - the stack of the code that warned
            while frame is not None and frame.f_code.co_filename != lesson_file:
                frame = frame.f_back
            if frame is not None:
                filename, lineno, line = lesson_file, frame.f_lineno, None
        show(message, category, filename, lineno, file, line)

    warnings.showwarning = showwarning


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


# Raised on purpose for the student's code, or by running out of what the sandbox allows: never the grader's.
STUDENTS_EXCEPTIONS = (ForbiddenCall, MemoryError, RecursionError, SystemExit, KeyboardInterrupt)


# The worker's own plumbing (this package, the forbidden-call machinery): it only carries the student's calls.
MESSENGERS = (os.path.dirname(os.path.abspath(__file__)) + os.sep, os.path.abspath(forbid_module.__file__))


class DriverMissing(LookupError):
    """A suite asked for a driver the lesson does not have: the grader's fault."""


def describe_error(exc: BaseException, student_file: str, grader_dir: str = "") -> dict:
    """Type, message, whose fault it is (``blame``) and where: the deepest
    ``file:line`` inside the student's file, or for a grader fault the place
    in the grader (``grader/drivers/l10_softmax.py:42 (train_mnist)``).

    Frames are walked from the innermost outward to the first that is in the
    student's file or in grader code under ``grader_dir``; torch and the
    standard library are skipped, and so are this package and ``grader.forbid``,
    the messengers that call into the student's objects (a missing function, a wrong signature,
    a missing attribute surface here: the student's). A driver marks the code
    that runs or uses the student's results (``drivers.common.students_turn``):
    a wrong result that breaks it there is the student's too."""
    message = exc.msg if isinstance(exc, SyntaxError) else str(exc)
    error = {"type": type(exc).__name__, "message": message[:1000], "where": "", "blame": "student"}
    if isinstance(exc, SyntaxError) and exc.filename:
        error["where"] = f"{os.path.basename(exc.filename)}:{exc.lineno}"
        return error
    frames = traceback.extract_tb(exc.__traceback__)
    students = [f for f in frames if f.filename == student_file]
    if students:
        error["where"] = f"{os.path.basename(students[-1].filename)}:{students[-1].lineno}"
    if isinstance(exc, DriverMissing):
        error["blame"] = "grader"
        return error
    if isinstance(exc, STUDENTS_EXCEPTIONS) or getattr(exc, STUDENTS_FAULT, False) or not grader_dir:
        return error
    for frame in reversed(frames):
        if frame.filename == student_file:
            return error
        if frame.filename.startswith(grader_dir + os.sep) and not frame.filename.startswith(MESSENGERS):
            where = os.path.relpath(frame.filename, os.path.dirname(grader_dir))
            error.update(blame="grader", where=f"{where}:{frame.lineno} ({frame.name})")
            return error
    return error


class Forbidding(TorchFunctionMode):
    """Makes the named torch functions (``torch.softmax``,
    ``torch.Tensor.softmax``, the property ``torch.Tensor.T``) raise
    ``ForbiddenCall`` while active, at three levels: as a torch-function
    mode it names them however Python code reaches them (an alias imported
    at the top of the file too); ``grader.forbid.KernelRefusal`` refuses the
    aten operators behind them, which private aliases (``torch._softmax``),
    ``torch.ops.aten`` and ``DisableTorchFunction`` reach as well; functions
    that take no tensor (``torch.broadcast_shapes``) are replaced in their
    module for the call."""

    def __init__(self, names: list[str]) -> None:
        super().__init__()
        self.names = {resolve(dotted): dotted for dotted in names}
        self.replaced: list[tuple[Any, str, Any]] = []
        self.kernels = KernelRefusal(names)
        self.depth = 0

    def __torch_function__(self, func: Any, types: Any, args: tuple = (), kwargs: dict | None = None) -> Any:
        if func in self.names:
            self.refuse(self.names[func])
        return func(*args, **(kwargs or {}))

    @staticmethod
    def refuse(dotted: str, *args: Any, **kwargs: Any) -> NoReturn:
        raise ForbiddenCall(off_limits(dotted))

    def __enter__(self) -> Forbidding:
        self.kernels.__enter__()  # first: it cleans up after itself if it fails
        for dotted in self.names.values():
            owner_path, _, attr = dotted.rpartition(".")
            if owner_path != "torch.Tensor":
                owner = importlib.import_module(owner_path)
                self.replaced.append((owner, attr, getattr(owner, attr)))
                setattr(owner, attr, functools.partial(self.refuse, dotted))
        self.depth = push_mode(self)
        return self

    def __exit__(self, *exc_info: Any) -> None:
        in_place = pop_mode(self, self.depth)
        for owner, attr, original in reversed(self.replaced):
            setattr(owner, attr, original)
        self.kernels.__exit__(*exc_info)
        if self.names and not in_place and not isinstance(exc_info[1], ForbiddenCall):
            raise ForbiddenCall("the grader's check for forbidden functions was switched off during the call")


def resolve(dotted: str) -> Any:
    """``torch.nn.functional.softmax`` -> the object a torch-function mode
    sees when it is called (for a property such as ``torch.Tensor.T``, its getter)."""
    owner_path, _, attr = dotted.rpartition(".")
    if owner_path == "torch.Tensor":
        found = inspect.getattr_static(torch.Tensor, attr)
        return found.__get__ if isinstance(found, types.GetSetDescriptorType) else getattr(torch.Tensor, attr)
    return getattr(importlib.import_module(owner_path), attr)  # modules such as torch._VF resolve names lazily


class CleanState:
    """The process-wide state graded code could change, as it was before
    the student's file ran; ``restore()`` puts it back."""

    def __init__(self) -> None:
        self.dtype = torch.get_default_dtype()
        self.threads = torch.get_num_threads()
        self.deterministic = torch.are_deterministic_algorithms_enabled()
        self.warnings = list(warnings.filters)
        self.path = list(sys.path)
        self.namespaces = [(ns, dict(vars(ns))) for ns in NAMESPACES]

    def restore(self) -> None:
        torch.set_default_dtype(self.dtype)
        if torch.get_num_threads() != self.threads:
            torch.set_num_threads(self.threads)
        torch.set_grad_enabled(True)
        torch.use_deterministic_algorithms(self.deterministic)
        warnings.filters[:] = self.warnings
        warnings._filters_mutated()  # noqa: SLF001 - invalidates the per-module warning caches
        sys.path[:] = self.path
        for namespace, saved in self.namespaces:
            current = vars(namespace)
            for name, value in saved.items():
                if current.get(name, saved) is not value:
                    setattr(namespace, name, value)
            if isinstance(namespace, type) or namespace is builtins:  # modules gain submodules as they load
                for name in [n for n in current if n not in saved]:
                    delattr(namespace, name)


class WorkerServer:
    """Holds the student's module and the objects handed out as handles."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.module: types.ModuleType | None = None
        self.student_file = ""
        self.grader_dir = ""  # .../grader: code in it that raises is the grader's fault
        self.driver: types.ModuleType | None = None
        self.objects: dict[int, Any] = {}
        self.ids: dict[int, int] = {}  # id(obj) -> handle, so one object keeps one handle
        self.clean: CleanState | None = None

    # -- encoding -------------------------------------------------------
    def to_wire(self, obj: Any) -> Any:
        if isinstance(obj, torch.Tensor):
            return plain_tensor(obj)
        if obj is None or type(obj) in SCALARS:
            return obj
        if isinstance(obj, (torch.dtype, torch.device)):
            return obj
        if isinstance(obj, (list, tuple)) and type(obj) in (list, tuple, torch.Size):
            items = [self.to_wire(x) for x in obj]
            return items if type(obj) is list else tuple(items)
        if type(obj) in (dict, collections.OrderedDict) and all(type(k) in (str, int) for k in obj):
            return {k: self.to_wire(v) for k, v in obj.items()}
        if isinstance(obj, collections.abc.Iterator):  # model.parameters() and friends
            return [self.to_wire(x) for x in obj]
        return self.handle_for(obj)

    def handle_for(self, obj: Any) -> dict:
        handle = self.ids.get(id(obj))
        if handle is None:
            handle = len(self.objects) + 1
            self.objects[handle] = obj
            self.ids[id(obj)] = handle
        return {HANDLE: handle, "type": type(obj).__name__}

    def from_wire(self, obj: Any) -> Any:
        if isinstance(obj, dict):
            if HANDLE in obj:
                return self.objects[obj[HANDLE]]
            return {k: self.from_wire(v) for k, v in obj.items()}
        if isinstance(obj, list):
            return [self.from_wire(x) for x in obj]
        if isinstance(obj, tuple):
            return tuple(self.from_wire(x) for x in obj)
        return obj

    def target(self, ref: dict) -> Any:
        if "handle" in ref:
            return self.objects[ref["handle"]]
        if self.module is None or not hasattr(self.module, ref["name"]):
            raise AttributeError(f"{ref['name']} is missing from the lesson file")
        return getattr(self.module, ref["name"])

    # -- requests -------------------------------------------------------
    def start(self, req: dict) -> bool:
        """Load the lesson's driver, then lock the door behind it. Returns
        whether the kernel confined the file system."""
        os.environ["TORCH_PRACTICE_DATA"] = req["data_root"]
        os.environ["TORCH_PRACTICE_OFFLINE"] = "1" if req["offline"] else "0"
        os.environ[data.WORKER_DATA] = req["worker_data"]
        torch.set_num_threads(req["threads"])  # chosen by the grader (grader.sandbox.threads); CleanState keeps it
        driver = f"grader.drivers.{req['lesson']}"
        self.driver = importlib.import_module(driver) if importlib.util.find_spec(driver) else None
        package_root = Path(req["package_root"])
        self.grader_dir = str(package_root / "grader")
        sys.path[:] = [p for p in sys.path if p != req["package_root"]]
        for name in list(sys.modules):
            if name.partition(".")[0] in BLOCKED_PACKAGES:
                del sys.modules[name]
        sys.meta_path.insert(0, RefuseImports())
        # Of the data, only the worker folder and the lesson's label-free course files, read-only: the
        # grader prepared them. The data root and the rest of the cache, which hold test labels, stay shut.
        # The inbox, where the grader writes files for the student's code (``Student.put_file``), is read-only too.
        data_files = [Path(req["worker_data"]), *map(Path, req["data_files"])]
        system = readable(package_root, [Path(p) for p in req["data_dirs"]])
        confined = req["confine"] and confine.confine_files(
            system + data_files + [Path(p) for p in req["readable"]],
            [Path(p) for p in req["writable"]],
            devices=[Path("/dev")],
        )
        self.clean = CleanState()
        return confined

    def load(self, req: dict) -> None:
        """Import the student's lesson file."""
        self.student_file = req["path"]
        spec = importlib.util.spec_from_file_location(req["lesson"], req["path"])
        module = importlib.util.module_from_spec(spec)
        sys.modules[req["lesson"]] = module
        warn_at_the_lesson_line(req["path"])
        seed_everything(0)
        spec.loader.exec_module(module)
        self.module = module

    def call(self, req: dict) -> Any:
        fn = self.target(req["target"])
        args = self.from_wire(req["args"])
        kwargs = self.from_wire(req["kwargs"])
        seed_everything(req.get("seed", 0))
        backward = req.get("backward")
        if backward is not None and isinstance(fn, torch.nn.Module):
            fn.zero_grad(set_to_none=True)
        with Forbidding(req.get("forbid", [])):
            out = fn(*args, **kwargs)
            if backward is None:
                return out
            return self.backward(fn, out, args, backward["grad_output"])

    def backward(self, fn: Any, out: Any, args: tuple, grad_output: Any) -> dict:
        if not isinstance(out, torch.Tensor):
            raise TypeError(f"expected a tensor to differentiate, got {type(out).__name__}")
        if not out.requires_grad:
            raise RuntimeError(
                "the result does not depend on the inputs through autograd (was .detach(), .item() or .data used?)"
            )
        out.backward(torch.ones_like(out) if grad_output is None else grad_output)
        params = dict(fn.named_parameters()) if isinstance(fn, torch.nn.Module) else {}
        return {
            "value": out,
            "inputs": [a.grad for a in args if isinstance(a, torch.Tensor) and a.requires_grad],
            "params": {name: p.grad for name, p in params.items()},
        }

    def getattr(self, req: dict) -> Any:
        return getattr(self.target(req["target"]), req["name"])

    def run_driver(self, req: dict) -> Any:
        if self.driver is None or not hasattr(self.driver, req["name"]):
            raise DriverMissing(f"no driver named {req['name']!r} for this lesson")
        seed_everything(req["kwargs"].get("seed", 0))
        return getattr(self.driver, req["name"])(self.module, **req["kwargs"])

    def restore(self) -> None:
        if self.clean is not None:
            self.clean.restore()

    def serve(self) -> None:
        ops = {
            "start": self.start,
            "load": self.load,
            "call": self.call,
            "getattr": self.getattr,
            "driver": self.run_driver,
        }
        while True:
            try:
                req = loads(self.conn.recv_bytes())
            except EOFError:
                return
            try:
                self.restore()
                value = ops[req["op"]](req)
                self.restore()  # what the call changed must not change how its result is encoded
                reply = {"ok": True, "value": self.to_wire(value)}
            except BaseException as exc:  # noqa: BLE001 - SystemExit and KeyboardInterrupt are the student's too
                self.restore()
                reply = {"ok": False, "error": describe_error(exc, self.student_file, self.grader_dir)}
            try:
                sys.stdout.flush()
                sys.stderr.flush()
                blob = dumps(reply)
            except Exception as exc:  # noqa: BLE001 - e.g. a tensor subclass that refuses to be saved
                blob = dumps({"ok": False, "error": describe_error(exc, self.student_file, self.grader_dir)})
            self.conn.send_bytes(blob)


def readable(package_root: Path, data_dirs: list[Path]) -> list[Path]:
    """What the confined worker may read besides its data files: Python, its
    packages and the system libraries; never a folder that holds the
    repository or one of ``data_dirs`` (the data root and its cache, where
    the test labels are)."""
    candidates = [Path(p) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix, *sys.path, *SYSTEM_DIRS) if p]
    return [p for p in candidates if not any(kept.is_relative_to(p) for kept in (package_root, *data_dirs))]


def main(fd: int) -> None:
    WorkerServer(Connection(fd)).serve()
