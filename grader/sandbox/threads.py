"""How many torch threads a sandboxed worker runs with: chosen, never inherited.

torch's default is one intra-op thread per core. With other work on the
cores (a second grader, CI jobs, ``grade-all --workers N``) those threads
oversubscribe them and grading slows several-fold (issue 24). So every worker
gets a deliberate number: the CPUs this process may use, divided among the
workers that run at the same time, unless the user chose (``--threads N``,
else ``OMP_NUM_THREADS``). ``practice grade`` runs one worker at a time;
``grade-all`` runs ``--workers`` of them.

And the threads wait for work asleep, not spinning (``OMP_WAIT_POLICY=PASSIVE``,
unless the user set it): OpenMP's default spins a while at each barrier,
which on cores shared with other work burns the CPU time that the thread it
waits for needs. Measured on a 2-core machine at a load of about 6, an MLP's
3000 SGD steps with 2 threads took 252 s and 90 s of CPU time spinning,
33 s and 11 s passive (1 thread: 15 s and 6 s).
"""

from __future__ import annotations

import os
from collections.abc import Mapping


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity mask: a container's or
    ``taskset``'s share, not the machine's count); the CPU count where the
    system has no affinity call (macOS)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:
        return os.cpu_count() or 1


def from_environment(environ: Mapping[str, str]) -> int | None:
    """The thread count the user set in ``OMP_NUM_THREADS`` ("4", or "4,2"
    for nested levels: the first one); None when unset or not a positive count."""
    first = environ.get("OMP_NUM_THREADS", "").split(",")[0].strip()
    return int(first) if first.isdigit() and int(first) > 0 else None


def torch_threads(chosen: int | None = None, workers: int = 1, environ: Mapping[str, str] = os.environ) -> int:
    """Intra-op threads for each of ``workers`` sandboxed workers that run at
    the same time: ``chosen`` (``--threads``), else ``OMP_NUM_THREADS``, else
    the usable CPUs divided among the workers (at least 1)."""
    if chosen:
        return chosen
    return from_environment(environ) or max(1, usable_cpus() // max(1, workers))


def worker_variables(threads: int, environ: Mapping[str, str] = os.environ) -> dict[str, str]:
    """The environment variables that set a worker's threads (read as torch and
    OpenMP load, and by what the worker starts): its thread count, and passive waiting
    unless the user chose a policy."""
    chosen = {"OMP_NUM_THREADS": str(threads)}
    if "OMP_WAIT_POLICY" not in environ:
        chosen["OMP_WAIT_POLICY"] = "PASSIVE"
    return chosen
