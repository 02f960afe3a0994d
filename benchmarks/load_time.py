"""`make bench`: grading a training lesson's reference idle and on a busy machine.

Grades the reference solution's training checks of one lesson (``-m training``,
default l10_softmax: MNIST, the check issue 24 saw run past its limit) in a
fresh `practice grade` process, first on an otherwise idle machine, then
while ``--busy`` processes (default 2) spin on the cores, and prints both
wall times, the ratio and both scores. The goals (issues 21 and 24): the same
score, and the loaded time at most 3 times the idle one (with fair sharing,
a worker's two threads among four runnable on two cores get one core between
them: about 2 times is the floor). The idle time is only as idle as the machine is:
run it alone.

    python benchmarks/load_time.py [--lesson l10] [--busy 2] [--threads N]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from grader.lessons import find  # noqa: E402
from grader.sandbox.threads import torch_threads  # noqa: E402

GOAL = 3.0  # loaded time / idle time


@contextmanager
def busy_processes(count: int) -> Iterator[None]:
    """``count`` processes that keep a core busy each, for the duration of the block."""
    spinning = [
        subprocess.Popen([sys.executable, "-c", "while True: pass"], start_new_session=True) for _ in range(count)
    ]
    try:
        yield
    finally:
        for proc in spinning:
            proc.kill()
            proc.wait()


def grade(lesson: str, extra: list[str]) -> tuple[float, str]:
    """Wall seconds of `practice grade --solutions LESSON -m training` and its score, ``"7/7"``."""
    with tempfile.TemporaryDirectory(prefix="torch-practice-bench-") as tmp:
        report = Path(tmp) / "report.json"
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "grader", "grade", "--solutions", lesson, "-m", "training", "--json", str(report)]
            + extra,
            capture_output=True,
            cwd=Path(__file__).resolve().parent.parent,
        )
        elapsed = time.perf_counter() - start
        if not report.exists():
            return elapsed, "no report"
        graded = json.loads(report.read_text(encoding="utf-8"))
    return elapsed, f"{graded['score']}/{graded['max_score']}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lesson", default="l10_softmax")
    parser.add_argument("--busy", type=int, default=2, help="processes spinning on the cores while loaded")
    parser.add_argument("--threads", type=int, help="--threads for practice grade (default: its own choice)")
    args = parser.parse_args()
    lesson = find(args.lesson).id
    extra = ["--threads", str(args.threads)] if args.threads else []
    threads = torch_threads(args.threads)
    print(f"{lesson} -m training, torch threads {threads}, load average {os.getloadavg()[0]:.2f} before")
    idle, idle_score = grade(lesson, extra)
    print(f"  idle               {idle:7.1f} s  score {idle_score}", flush=True)
    with busy_processes(args.busy):
        loaded, loaded_score = grade(lesson, extra)
    print(f"  {args.busy} busy processes   {loaded:7.1f} s  score {loaded_score}")
    ratio = loaded / idle
    same = "same score" if loaded_score == idle_score else "SCORES DIFFER"
    print(f"  loaded / idle      {ratio:7.2f}    (goal: at most {GOAL:g}, with the same score: {same})")


if __name__ == "__main__":
    main()
