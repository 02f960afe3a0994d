"""Operating-system limits for the worker process (Linux).

``die_with_parent`` ties the worker to the grader. ``limit_resources`` caps
the worker's address space, the size of any file it
writes (its captured output included) and core dumps. ``confine`` uses
Landlock, the kernel's unprivileged file-system sandbox (Linux 5.13+): after
it, the worker and every process it starts can read only the Python
installation, the system libraries and the data files the grader prepared for
it (never a test label), write only into its own temporary folders, and
cannot signal processes outside the sandbox (Linux 6.12+). The repository, with ``solutions/`` and the hidden
suites, is out of reach even by absolute path. Where the kernel lacks
Landlock, ``confine`` returns False and the other defences still hold.
"""

from __future__ import annotations

import ctypes
import os
import resource
import signal
from pathlib import Path
from typing import Iterable

# linux/landlock.h
_CREATE_RULESET, _ADD_RULE, _RESTRICT_SELF = 444, 445, 446  # same numbers on every architecture
_CREATE_RULESET_VERSION = 1
_RULE_PATH_BENEATH = 1
_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_PDEATHSIG = 1
EXECUTE, WRITE_FILE, READ_FILE, READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
REMOVE_DIR, REMOVE_FILE, MAKE_CHAR, MAKE_DIR = 1 << 4, 1 << 5, 1 << 6, 1 << 7
MAKE_REG, MAKE_SOCK, MAKE_FIFO, MAKE_BLOCK, MAKE_SYM = 1 << 8, 1 << 9, 1 << 10, 1 << 11, 1 << 12
REFER, TRUNCATE, IOCTL_DEV = 1 << 13, 1 << 14, 1 << 15
SCOPE_ABSTRACT_UNIX_SOCKET, SCOPE_SIGNAL = 1 << 0, 1 << 1
HANDLED_BY_ABI = {1: (1 << 13) - 1, 2: (1 << 14) - 1, 3: (1 << 15) - 1, 5: (1 << 16) - 1}

READ = EXECUTE | READ_FILE | READ_DIR
# Everything but device nodes: a root worker with MAKE_BLOCK could read the raw disk.
WRITE = READ | WRITE_FILE | REMOVE_DIR | REMOVE_FILE | MAKE_DIR | MAKE_REG | MAKE_SOCK | MAKE_FIFO | MAKE_SYM \
    | REFER | TRUNCATE
DEVICES = READ | WRITE_FILE | IOCTL_DEV  # /dev/null, /dev/urandom, the GPU's device files


class _RulesetAttr(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64), ("handled_access_net", ctypes.c_uint64),
                ("scoped", ctypes.c_uint64)]


class _PathBeneathAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def limit_resources(memory: int | None, file_size: int) -> None:
    """Cap address space (``memory`` bytes, None for none), the size of each
    written file, and core dumps (a segfault must not litter the disk)."""
    if memory:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_FSIZE, (file_size, file_size))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def die_with_parent() -> None:
    """Have the kernel SIGKILL this process when its parent, the grader,
    dies (killed by CI's timeout, say): a worker never runs on unattended."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def landlock_abi() -> int:
    """The kernel's Landlock ABI version, 0 when unavailable."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return max(0, libc.syscall(_CREATE_RULESET, None, ctypes.c_size_t(0), _CREATE_RULESET_VERSION))
    except (OSError, AttributeError):
        return 0


def confine(read: Iterable[Path], write: Iterable[Path], devices: Iterable[Path] = ()) -> bool:
    """Restrict this process (and its future children) to reading ``read``,
    writing ``write`` and using ``devices``; True when the kernel enforced it.
    Paths that do not exist are skipped."""
    abi = landlock_abi()
    if abi < 1:
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    handled = HANDLED_BY_ABI[max(v for v in HANDLED_BY_ABI if v <= abi)]
    attr = _RulesetAttr(handled, 0, SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL if abi >= 6 else 0)
    size = ctypes.sizeof(_RulesetAttr) if abi >= 6 else 8  # older kernels reject fields they do not know
    ruleset = libc.syscall(_CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(size), 0)
    if ruleset < 0:
        return False
    try:
        for paths, access in ((read, READ), (write, WRITE), (devices, DEVICES)):
            for path in paths:
                _allow(libc, ruleset, Path(path), access & handled)
        if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 or libc.syscall(_RESTRICT_SELF, ruleset, 0) != 0:
            raise OSError(ctypes.get_errno(), "landlock_restrict_self failed")
    finally:
        os.close(ruleset)
    return True


def _allow(libc: ctypes.CDLL, ruleset: int, path: Path, access: int) -> None:
    try:
        fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    except OSError:
        return  # absent: nothing to allow
    try:
        if not path.is_dir():  # a rule on a file takes only the rights that apply to files
            access &= EXECUTE | WRITE_FILE | READ_FILE | TRUNCATE | IOCTL_DEV
        rule = _PathBeneathAttr(access, fd)
        if libc.syscall(_ADD_RULE, ruleset, _RULE_PATH_BENEATH, ctypes.byref(rule), 0) != 0:
            raise OSError(ctypes.get_errno(), f"landlock_add_rule failed for {path}")
    finally:
        os.close(fd)
