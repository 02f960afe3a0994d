"""`make bench`: how fast the student's quick commands start.

`practice list`, `next` and `--help` import no torch; each should answer well
under a second (the goal of the student-workflow issue). Best of 5 runs, each
in a fresh process, interpreter start included.
"""

from __future__ import annotations

import subprocess
import sys
import time

COMMANDS = (["list"], ["next"], ["--help"])  # none of them changes the student's progress


def main() -> None:
    for command in COMMANDS:
        times = []
        for _ in range(5):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "grader", *command], capture_output=True, check=True)
            times.append(time.perf_counter() - start)
        print(f"practice {' '.join(command):12} {min(times):6.3f} s  (goal: < 1 s)")


if __name__ == "__main__":
    main()
