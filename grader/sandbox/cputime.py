"""The CPU time a sandboxed worker has used, for its time limits.

A time limit guards against a submission that hangs or runs away. Counted on
the wall clock it also depends on how busy the machine is: the same code
passes on an idle laptop and times out on a CI runner shared with other jobs
(issue 21). So the limit counts CPU time, which other processes do not add
to, and a wall-clock backstop several times longer (``host.WALL_FACTOR``)
catches code that sleeps or blocks and so uses none.

What is counted, over every thread of every process in the worker's session
(the worker, torch's threads, the processes it started and that stayed in
the session; a process's threads that have exited count as one more thread
of it, and so do the children it waited for), since the request began: the
larger of

- the CPU time (user + system) of the busiest thread, and
- the CPU time of all of them together divided by ``threads``, the worker's
  torch threads (``grader.sandbox.threads``) or the usable CPUs if fewer.

Why: torch's threads together accrue CPU time up to ``threads`` times faster
than the wall clock, so a plain sum would depend on the thread count (the
same limit too short on a machine with more cores); the busiest thread
alone (on an idle machine at most the wall time, whatever the thread count:
torch's main thread takes part in all its parallel work) would let code
that spreads a loop over many Python threads, which share one CPU, run many
times its limit. With both, a reference that trains with ``threads`` threads
is counted at most about its wall time on an idle machine, so a limit of
300 s means about "300 s of work on an idle machine", what the suites'
``time_limit`` numbers were measured as; and an endless loop is stopped
after the limit on one thread, at most ``threads`` times the limit spread
over many. CPU time is not quite load-free: on a busy machine the same work
costs more of it (shared caches, threads waiting for each other; l13's
InceptionNet, 323 s of wall time at a load of 5-6 on 2 cores, was counted
99 s), which the suites' wide margins absorb. Where ``/proc`` cannot tell (not Linux), ``CpuClock.used``
is None and the limit is counted on the wall clock.
"""

from __future__ import annotations

import os

TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
PROC = "/proc"


def _stat(path: str) -> list[bytes] | None:
    """The fields of a ``stat`` file of ``/proc`` after the command name (which
    may hold spaces and parentheses: it ends at the last ``)``); index 0 is field 3, the state."""
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError:  # gone meanwhile, or hidden (hidepid)
        return None
    fields = raw[raw.rfind(b")") + 2 :].split()
    return fields if len(fields) > 14 else None


def thread_ticks(leader: int) -> dict[str, int] | None:
    """Clock ticks of CPU time (user + system) of each thread of each process
    whose session or process group is ``leader``'s (a worker leads both), by
    ``pid/tid``; of the threads of each process that have exited, by ``pid/exited``;
    and of the children each process waited for, by ``pid/children``;
    None when ``/proc`` does not show the leader."""
    if _stat(f"{PROC}/{leader}/stat") is None:
        return None
    ticks: dict[str, int] = {}
    mine = str(leader).encode()
    try:
        pids = [entry.name for entry in os.scandir(PROC) if entry.name.isdigit()]
    except OSError:
        return None
    for pid in pids:
        fields = _stat(f"{PROC}/{pid}/stat")
        # fields[2] pgrp, [3] session, [11] utime, [12] stime, [13] cutime, [14] cstime (proc(5), from field 3)
        if fields is None or mine not in (fields[2], fields[3]):
            continue
        ticks[f"{pid}/children"] = int(fields[13]) + int(fields[14])
        try:
            tids = os.listdir(f"{PROC}/{pid}/task")
        except OSError:
            continue
        live = 0
        for tid in tids:
            if (task := _stat(f"{PROC}/{pid}/task/{tid}/stat")) is not None:
                ticks[f"{pid}/{tid}"] = int(task[11]) + int(task[12])
                live += ticks[f"{pid}/{tid}"]
        ticks[f"{pid}/exited"] = int(fields[11]) + int(fields[12]) - live  # the process's time includes theirs
    return ticks


class CpuClock:
    """The CPU seconds a worker has used since the clock was made, counted as the module says."""

    def __init__(self, leader: int, threads: int) -> None:
        self.leader = leader
        self.threads = max(1, threads)
        self.start = thread_ticks(leader)

    @property
    def works(self) -> bool:
        return self.start is not None

    def used(self) -> float | None:
        """CPU seconds since the start: the busiest thread's or all threads' divided by
        ``threads``, whichever is more; None where they cannot be read."""
        now = thread_ticks(self.leader) if self.works else None
        if not now:
            return None
        spent = [ticks - self.start.get(key, 0) for key, ticks in now.items()]
        return max(max(spent), sum(spent) / self.threads) / TICKS
