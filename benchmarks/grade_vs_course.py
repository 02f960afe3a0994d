"""`make bench`: full grading of the reference solutions against the course's own training scripts.

Issue 18's yardstick for "grading is fast": grading all lessons of
``solutions/`` (every check, accuracy thresholds included, in one
``practice grade --solutions`` process) should take at most half as long as
the three training scripts the course notes run (``benchmarks/course/``:
Liu Er's MNIST MLP and CNN, 10 epochs each; the blitz's CIFAR-10 LeNet,
2 epochs), on the same machine, in the same run, from the same data root.
Both sides run alone, one after the other: run the benchmark on an idle machine.

    python benchmarks/grade_vs_course.py [--skip-course]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
GOAL = 0.5  # grading time / course scripts' time
COURSE_SCRIPTS = (
    ("Liu Er MNIST MLP, 10 epochs", [HERE / "course" / "liu_er_mnist.py", "mlp"]),
    ("Liu Er MNIST CNN, 10 epochs", [HERE / "course" / "liu_er_mnist.py", "cnn"]),
    ("blitz CIFAR-10 LeNet, 2 epochs", [HERE / "course" / "blitz_cifar10.py"]),
)


def timed(command: list) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, *map(str, command)], capture_output=True, text=True, cwd=HERE.parent)
    return time.perf_counter() - start, done


def last_line(done: subprocess.CompletedProcess) -> str:
    lines = (done.stdout or done.stderr).strip().splitlines()
    return lines[-1] if lines else f"exit {done.returncode}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-course", action="store_true", help="time only the grading")
    args = parser.parse_args()

    course = 0.0
    if not args.skip_course:
        for name, command in COURSE_SCRIPTS:
            seconds, done = timed(command)
            course += seconds
            print(f"{name:34} {seconds:7.1f} s  {last_line(done)}", flush=True)
        print(f"{'course scripts':34} {course:7.1f} s", flush=True)
    seconds, done = timed(["-m", "grader", "grade", "--solutions"])
    total = next((line for line in done.stdout.splitlines() if line.startswith("total")), last_line(done))
    print(f"{'grade --solutions, all lessons':34} {seconds:7.1f} s  {' '.join(total.split())}")
    if course:
        print(f"ratio {seconds / course:.2f} (goal <= {GOAL})")


if __name__ == "__main__":
    main()
