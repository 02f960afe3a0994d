"""Trusted side: killing what escaped a worker's process group (Linux).

A grading process that calls ``become_subreaper()`` inherits whatever a
worker started and orphaned (a daemon that called ``setsid``, leaving the
process group that ``WorkerProcess.close`` kills); ``reap_orphans`` kills it
with all its descendants, so nothing a submission starts outlives its grading.
"""

from __future__ import annotations

import ctypes
import os
import signal

_live: set[int] = set()  # pids of running workers: adopted, but not orphans
_reaping = False  # set by become_subreaper()


def track(pid: int) -> None:
    """``pid`` is a running worker: not an orphan to kill."""
    _live.add(pid)


def untrack(pid: int) -> None:
    """The worker ``pid`` was killed and waited for."""
    _live.discard(pid)


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
