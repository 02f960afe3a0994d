"""Operating-system limits for the worker process (Linux).

``die_with_parent`` ties the worker to the grader. ``limit_resources`` caps
the worker's address space, the size of any file it
writes (its captured output included) and core dumps. ``confine_files`` uses
Landlock, the kernel's unprivileged file-system sandbox (Linux 5.13+): after
it, the worker and every process it starts can read only the Python
installation, the system libraries and the data files the grader prepared for
it (never a test label), write only into its own temporary folders, cannot bind or connect TCP sockets
(Linux 6.7+) and cannot signal processes outside the sandbox (Linux 6.12+).
The repository, with ``solutions/`` and the hidden suites, is out of reach
even by absolute path. Where the kernel lacks Landlock, ``confine_files`` returns
False and the other defences still hold.

``deny_sockets`` installs a seccomp filter (Linux 3.5+, x86-64 and arm64)
under which ``socket()`` fails: no TCP, UDP, or UNIX socket, on disk or
abstract, can be opened, on any kernel. ``worker_environment`` passes the
worker an allow-listed environment, never the grader's tokens. A grader
running as root runs its worker as a uid of its own (``worker_uid``,
``drop_privileges``) with a cap on its processes (``limit_processes``).
"""

from __future__ import annotations

import ctypes
import errno
import os
import resource
import signal
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import NamedTuple

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
BIND_TCP, CONNECT_TCP = 1 << 0, 1 << 1  # handled_access_net, ABI 4+: handled with no rule = denied on every port

READ = EXECUTE | READ_FILE | READ_DIR
# Everything but device nodes: a root worker with MAKE_BLOCK could read the raw disk.
WRITE = (
    READ
    | WRITE_FILE
    | REMOVE_DIR
    | REMOVE_FILE
    | MAKE_DIR
    | MAKE_REG
    | MAKE_SOCK
    | MAKE_FIFO
    | MAKE_SYM
    | REFER
    | TRUNCATE
)
DEVICES = READ | WRITE_FILE | IOCTL_DEV  # /dev/null, /dev/urandom, the GPU's device files


class _RulesetAttr(ctypes.Structure):
    _fields_ = [
        ("handled_access_fs", ctypes.c_uint64),
        ("handled_access_net", ctypes.c_uint64),
        ("scoped", ctypes.c_uint64),
    ]


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


def confine_files(read: Iterable[Path], write: Iterable[Path], devices: Iterable[Path] = ()) -> bool:
    """Restrict this process (and its future children) to reading ``read``,
    writing ``write`` and using ``devices``; True when the kernel enforced it.
    Paths that do not exist are skipped."""
    abi = landlock_abi()
    if abi < 1:
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    handled = HANDLED_BY_ABI[max(v for v in HANDLED_BY_ABI if v <= abi)]
    attr = _RulesetAttr(
        handled, BIND_TCP | CONNECT_TCP if abi >= 4 else 0, SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL if abi >= 6 else 0
    )
    size = 24 if abi >= 6 else 16 if abi >= 4 else 8  # older kernels reject fields they do not know
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


# -- the environment ----------------------------------------------------------
class EnvAllowList(NamedTuple):
    """Which of the grader's environment variables a worker inherits: the
    exact ``names`` and every name that starts with one of ``prefixes``."""

    names: frozenset[str]
    prefixes: tuple[str, ...]

    def allows(self, name: str) -> bool:
        return name in self.names or name.startswith(self.prefixes)


WORKER_ENV = EnvAllowList(
    names=frozenset(
        {
            "PATH",  # where the programs a submission may start are found
            "LANG",
            "LANGUAGE",
            "TZ",  # how text, numbers and dates are read and printed (with LC_*)
            "LD_LIBRARY_PATH",  # some installations find the CUDA and BLAS libraries torch loads through it
        }
    ),
    prefixes=(
        "LC_",  # the locale
        # thread counts and CPU detection of the math libraries; older OpenBLAS builds crash
        # on some CPUs without OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE
        "OMP_",
        "GOMP_",
        "KMP_",
        "MKL_",
        "OPENBLAS_",
        "NVPL_",
        "CUDA_",
        "NVIDIA_",
        "CUBLAS_",
        "CUDNN_",  # which GPUs the worker sees, where CUDA is installed
        # torch's own settings (allocator, threads, determinism) and the grader's TORCH_PRACTICE_*
        "PYTORCH_",
        "TORCH_",
    ),
)


def worker_environment(own: Mapping[str, str], inherited: Mapping[str, str] = os.environ) -> dict[str, str]:
    """The worker's environment: the allowed part of ``inherited`` (the
    grader's), then ``own``, the variables the grader sets for it. Nothing
    else: no tokens, no ``SSH_AUTH_SOCK``, no ``HOME`` of the grader's."""
    return {**{k: v for k, v in inherited.items() if WORKER_ENV.allows(k)}, **own}


# -- no sockets: a seccomp filter -----------------------------------------------
# machine -> (AUDIT_ARCH_* of linux/audit.h, socket, io_uring_setup); io_uring could open sockets on its own
_SYSCALLS = {"x86_64": (0xC000003E, 41, 425), "aarch64": (0xC00000B7, 198, 425)}
_X32_BIT = 0x40000000  # x86-64's x32 calls: same arch, other numbers; refused whole
_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER = 22, 2
_LD_W_ABS, _JEQ, _JGE, _RET = 0x20, 0x15, 0x35, 0x06  # classic BPF opcodes
_ALLOW, _KILL_PROCESS, _ERRNO = 0x7FFF0000, 0x80000000, 0x00050000


class _SockFilter(ctypes.Structure):
    _fields_ = [("code", ctypes.c_uint16), ("jt", ctypes.c_uint8), ("jf", ctypes.c_uint8), ("k", ctypes.c_uint32)]


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_SockFilter))]


def _socket_filter() -> ctypes.Array | None:
    """The BPF program: a foreign architecture (a 32-bit binary, whose
    socketcall would slip past) is killed; ``socket()``, ``io_uring_setup()``
    and x32 calls fail with EACCES; everything else is allowed. None on a
    machine not listed. ``socketpair()`` stays: a pair reaches nothing outside."""
    machine = os.uname().machine
    if machine not in _SYSCALLS:
        return None
    arch, socket_nr, io_uring_nr = _SYSCALLS[machine]
    program = [
        (_LD_W_ABS, 0, 0, 4),  # seccomp_data.arch
        (_JEQ, 1, 0, arch),
        (_RET, 0, 0, _KILL_PROCESS),
        (_LD_W_ABS, 0, 0, 0),  # seccomp_data.nr
        (_JGE, 3, 0, _X32_BIT),  # jumps count from the next instruction: 3 lands on the refusal
        (_JEQ, 2, 0, socket_nr),
        (_JEQ, 1, 0, io_uring_nr),
        (_RET, 0, 0, _ALLOW),
        (_RET, 0, 0, _ERRNO | errno.EACCES),
    ]
    return (_SockFilter * len(program))(*(_SockFilter(*op) for op in program))


_FILTER = _socket_filter()  # built once here: deny_sockets runs between fork and exec


def socket_filter_available() -> bool:
    """Whether ``deny_sockets`` can work here: a machine it knows, a kernel with seccomp."""
    try:
        return _FILTER is not None and "Seccomp:" in Path("/proc/self/status").read_text()
    except OSError:
        return False


def deny_sockets() -> bool:
    """Make ``socket()`` fail with EACCES in this process and every process
    it starts, for good; True when the kernel took the filter. Sets
    no_new_privs, which the filter requires."""
    if _FILTER is None:
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    prog = _SockFprog(len(_FILTER), _FILTER)
    return (
        libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0
        and libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(prog), 0, 0) == 0
    )


# -- a root grader's worker runs as a uid of its own -----------------------------------
UID_BASE = 2_000_000_000  # + the grader's pid: a uid no account has, one per grading process
CAP_DAC_READ_SEARCH = 2  # linux/capability.h
_PR_SET_KEEPCAPS, _PR_CAP_AMBIENT, _PR_CAP_AMBIENT_RAISE = 8, 47, 2
_CAPABILITY_VERSION_3 = 0x20080522


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def worker_uid() -> int | None:
    """The uid this grading process runs its workers as: None when it is not
    root (a worker then keeps the grader's uid), else a uid of its own, so
    that a process limit counts the worker's processes only."""
    return UID_BASE + os.getpid() if os.geteuid() == 0 else None


def drop_privileges(uid: int) -> None:
    """Become ``uid`` (and gid ``uid``, no supplementary groups), keeping one
    capability, CAP_DAC_READ_SEARCH, through exec: the worker may still read
    and list what root may (Python under ``/root``, a mode-700 folder; the
    data), while Landlock decides what it may read at all. It cannot write,
    signal or own anything of root's. Raises OSError if the kernel refuses."""
    libc = ctypes.CDLL(None, use_errno=True)
    _check(libc.prctl(_PR_SET_KEEPCAPS, 1, 0, 0, 0))  # keep the permitted set across setresuid
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)
    bit = 1 << CAP_DAC_READ_SEARCH
    sets = (_CapData * 2)(_CapData(bit, bit, bit), _CapData(0, 0, 0))
    _check(libc.capset(ctypes.byref(_CapHeader(_CAPABILITY_VERSION_3, 0)), sets))  # this one only
    _check(libc.prctl(_PR_CAP_AMBIENT, _PR_CAP_AMBIENT_RAISE, CAP_DAC_READ_SEARCH, 0, 0))  # ... after exec too


def limit_processes(count: int) -> None:
    """At most ``count`` processes and threads for this process's uid (a
    fork bomb stops there). The kernel ignores it for root."""
    resource.setrlimit(resource.RLIMIT_NPROC, (count, count))


def hand_over(folders: Iterable[Path], uid: int) -> None:
    """Give ``folders`` (not what is in them) to ``uid``, the worker's: the
    folders it may write."""
    for folder in folders:
        os.chown(folder, uid, uid)


def _check(result: int) -> None:
    if result != 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))
