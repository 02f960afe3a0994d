"""Time limits count the worker's CPU time, with a wall-clock backstop, and
the worker's torch threads are chosen, not inherited (issues 21 and 24).

A busy loop is stopped by its CPU time; code that sleeps, which uses none, by
the wall clock; torch in the worker runs the number of threads the grader
chose, or the user's ``OMP_NUM_THREADS``; and a training lesson's reference
scores full marks while two other processes keep the cores busy.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from conftest import DATA, grade, training_checks

from grader.sandbox import threads
from grader.sandbox.cputime import CpuClock, thread_ticks
from grader.sandbox.errors import StudentError
from grader.sandbox.host import WALL_FACTOR, WorkerConfig, WorkerProcess
from grader.sandbox.proxies import Student

LESSON = """
import time
import torch


def spin():
    while True:
        pass


def sleep():
    time.sleep(10_000)


def threads():
    return torch.get_num_threads()
"""


def worker(tmp_path, call_timeout: float, **config) -> WorkerProcess:
    path = tmp_path / "l99_limits.py"
    path.write_text(LESSON)
    return WorkerProcess(
        WorkerConfig(lesson="l99_limits", path=path, data_root=DATA, call_timeout=call_timeout, **config)
    )


# -- CPU time, and the wall-clock backstop ----------------------------------------------------
def test_a_busy_loop_is_stopped_by_its_cpu_time(tmp_path):
    process = worker(tmp_path, call_timeout=1, threads=1)
    try:
        with pytest.raises(StudentError) as caught:
            Student(process).spin()
        assert str(caught.value) == (
            "timed out: used 1 s of CPU time during spin() "
            "(the time limit per call; a teacher can raise it with --timeout)"
        )
    finally:
        process.dispose()


SPREAD = """
import threading


def spin_in_threads(count):
    def spin():
        while True:
            pass

    for _ in range(count):
        threading.Thread(target=spin, daemon=True).start()
    spin()


def spin_in_short_threads():
    def spin_a_while():
        import time
        end = time.thread_time() + 0.1
        while time.thread_time() < end:
            pass

    while True:
        thread = threading.Thread(target=spin_a_while)
        thread.start()
        thread.join()
"""


@pytest.mark.parametrize("function", ["spin_in_threads", "spin_in_short_threads"])
def test_an_endless_loop_spread_over_threads_is_stopped_by_its_cpu_time(tmp_path, function):
    """Whether it runs on several Python threads at once (which share one CPU)
    or on a chain of threads that each exit, long before the wall-clock backstop."""
    path = tmp_path / "l99_limits.py"
    path.write_text(LESSON + SPREAD)
    process = WorkerProcess(WorkerConfig(lesson="l99_limits", path=path, data_root=DATA, call_timeout=1, threads=4))
    try:
        with pytest.raises(StudentError, match=rf"timed out: used 1 s of CPU time during {function}\(\)"):
            getattr(Student(process), function)(*([3] if function == "spin_in_threads" else []))
    finally:
        process.dispose()


def test_code_that_sleeps_is_stopped_by_the_wall_clock_backstop(tmp_path):
    process = worker(tmp_path, call_timeout=0.4, threads=1)
    try:
        Student(process).threads()
        start = time.monotonic()
        with pytest.raises(StudentError) as caught:
            Student(process).sleep()
        waited = time.monotonic() - start
        assert str(caught.value) == (
            f"timed out: no answer after {0.4 * WALL_FACTOR:g} s of wall-clock time during sleep() "
            f"(sleeping or blocked?), {WALL_FACTOR} times its CPU time limit "
            "(the time limit per call; a teacher can raise it with --timeout)"
        )
        assert waited >= 0.4 * WALL_FACTOR
    finally:
        process.dispose()


def test_a_check_limit_names_where_a_teacher_raises_it(tmp_path):
    process = worker(tmp_path, call_timeout=60, threads=1)
    try:
        with pytest.raises(StudentError, match=r"used 0.5 s of CPU time during spin\(\) \(this check's own limit"):
            process.request({"op": "call", "target": {"name": "spin"}, "args": [], "kwargs": {}}, 0.5, "spin()")
    finally:
        process.dispose()


BUSY = "import time\nend = time.process_time() + 0.5\nwhile time.process_time() < end: pass"
START = "import subprocess, sys, time; subprocess.{how}([sys.executable, '-c', {code!r}]); time.sleep(60)"
PARENTS = {  # a parent that uses next to no CPU itself, and a child that uses half a second or more
    "a child it waited for": START.format(how="run", code=BUSY),
    "a child still running": START.format(how="Popen", code="while True: pass"),
}


@pytest.mark.parametrize("parent", PARENTS, ids=list(PARENTS))
def test_the_clock_counts_the_cpu_time_of_the_children(parent):
    proc = subprocess.Popen([sys.executable, "-c", PARENTS[parent]], start_new_session=True)
    try:
        clock = CpuClock(proc.pid, threads=1)
        assert clock.works
        deadline = time.monotonic() + 20
        while clock.used() < 0.5 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert clock.used() >= 0.5
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    assert thread_ticks(proc.pid) is None  # gone: nothing left to read


# -- threads: chosen, not inherited -----------------------------------------------------------
def test_threads_are_the_usable_cpus_divided_among_the_workers_unless_chosen():
    cpus = threads.usable_cpus()
    assert threads.torch_threads(None, 1, {}) == cpus
    assert threads.torch_threads(None, 2 * cpus, {}) == 1  # never 0
    assert threads.torch_threads(None, 1, {"OMP_NUM_THREADS": "3"}) == 3
    assert threads.torch_threads(None, 4, {"OMP_NUM_THREADS": "3,1"}) == 3
    assert threads.torch_threads(None, 1, {"OMP_NUM_THREADS": "lots"}) == cpus
    assert threads.torch_threads(5, 1, {"OMP_NUM_THREADS": "3"}) == 5  # --threads, over the environment


def test_the_worker_threads_wait_passively_unless_the_user_chose_a_policy():
    assert threads.worker_variables(2, {}) == {"OMP_NUM_THREADS": "2", "OMP_WAIT_POLICY": "PASSIVE"}
    assert threads.worker_variables(1, {"OMP_WAIT_POLICY": "ACTIVE"}) == {"OMP_NUM_THREADS": "1"}


def test_the_worker_runs_torch_with_the_chosen_threads(tmp_path, monkeypatch):
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    for chosen, expected in ((None, threads.usable_cpus()), (3, 3)):
        process = worker(tmp_path, call_timeout=30, threads=chosen)
        try:
            assert Student(process).threads() == expected
        finally:
            process.dispose()


def test_omp_num_threads_wins_over_the_cpu_count(tmp_path, monkeypatch):
    monkeypatch.setenv("OMP_NUM_THREADS", "3")
    process = worker(tmp_path, call_timeout=30)
    try:
        assert Student(process).threads() == 3
    finally:
        process.dispose()


# -- a busy machine changes no verdict ----------------------------------------------------------
LOAD_LESSON = "l09_multi_dim_dataloader"  # its training check trains in seconds


@pytest.mark.slow
def test_a_training_reference_scores_full_marks_with_the_cores_busy(tmp_path):
    busy = [
        subprocess.Popen([sys.executable, "-c", "while True: pass"], start_new_session=True)
        for _ in range(max(2, threads.usable_cpus()))
    ]
    try:
        graded = grade("--solutions", LOAD_LESSON, "-m", "training", tmp_path=tmp_path)
    finally:
        for proc in busy:
            proc.kill()
            proc.wait()
    assert graded.report is not None, graded.stderr
    assert set(graded.checks()) == training_checks(LOAD_LESSON)
    assert graded.report["score"] == graded.report["max_score"] > 0, graded.stdout
