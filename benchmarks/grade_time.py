"""`make bench`: how long grading the reference solutions takes, per lesson.

Runs `practice grade --solutions LESSON` in a fresh process for each lesson
(worker start, data loading and training included) and prints wall times.
The goal (DESIGN.md, "Speed"): all lessons in a few minutes on a 2-core CPU.
"""

from __future__ import annotations

import subprocess
import sys
import time

from grader.lessons import LESSONS
from grader.sandbox.threads import torch_threads


def main() -> None:
    total = 0.0
    print(f"{'lesson':26} {'seconds':>8}  result   (torch threads: {torch_threads()})")
    for lesson in LESSONS:
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "grader", "grade", "--solutions", lesson.id], capture_output=True, text=True
        )
        elapsed = time.perf_counter() - start
        total += elapsed
        print(f"{lesson.id:26} {elapsed:8.1f}  {'ok' if done.returncode == 0 else 'FAILED'}", flush=True)
    print(f"{'all lessons':26} {total:8.1f}")


if __name__ == "__main__":
    main()
