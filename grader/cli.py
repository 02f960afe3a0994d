"""The ``practice`` command: list lessons, grade them, build the exercises.

Heavy imports (torch, pytest) happen inside the commands that need them, so
``practice list`` starts instantly.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import click

from grader.lessons import LESSONS, ROOT, Lesson, UnknownLesson, find, lesson_of_file

LAST_RESULTS = ROOT / ".practice" / "results.json"  # per-lesson scores of the last `practice grade`


def fail(message: str) -> None:
    """Print one clear sentence and exit with status 2 (bad input)."""
    click.echo(f"error: {message}", err=True)
    sys.exit(2)


def pick_lessons(names: tuple[str, ...], submission: Path | None) -> list[Lesson]:
    if names:
        try:
            return [find(name) for name in names]
        except UnknownLesson as exc:
            fail(str(exc))
    if submission is not None and submission.is_file():
        lesson = lesson_of_file(submission)
        if lesson is None:
            fail(f"cannot tell which lesson {submission.name} is: name the file after the lesson "
                 f"(one of {', '.join(le.id + '.py' for le in LESSONS)}) or name the lesson on the command line")
        return [lesson]
    return list(LESSONS)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """torch-practice: learn PyTorch by filling stubs until the grader says 100%."""


class MemorySize(click.ParamType):
    """``16G``, ``512M``, ``2.5GiB`` or ``none`` -> bytes (0 for no limit)."""

    name = "size"
    UNITS = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}

    def convert(self, value, param, ctx):  # noqa: ANN001 - click's signature
        if isinstance(value, int):
            return value
        if value.strip().lower() == "none":
            return 0
        match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(?:i?B)?\s*", value, re.IGNORECASE)
        if not match or float(match[1]) == 0:
            self.fail(f"{value!r} is not a memory size like 16G, 512M or none", param, ctx)
        return int(float(match[1]) * self.UNITS[match[2].upper()])


@main.command("list")
def list_lessons() -> None:
    """Lessons with their title, points and your last score."""
    last = json.loads(LAST_RESULTS.read_text()) if LAST_RESULTS.exists() else {}
    for lesson in LESSONS:
        score = last.get(lesson.id)
        shown = f"{score['score']}/{score['max_score']}" if score else "-"
        click.echo(f"{lesson.id:20} {shown:>7} of {lesson.points:<3} {lesson.title}")


@main.command()
@click.argument("lessons", nargs=-1)
@click.option("--solutions", is_flag=True, help="Grade the reference solutions/ instead of exercises/.")
@click.option("--submission", type=click.Path(path_type=Path), help="Grade a folder laid out like exercises/, or one lesson file.")
@click.option("--json", "json_path", type=click.Path(path_type=Path), help="Write the results as JSON.")
@click.option("--junit", type=click.Path(path_type=Path), help="Write the results as JUnit XML.")
@click.option("--gradescope", type=click.Path(path_type=Path), help="Write a Gradescope results.json.")
@click.option("--strict", is_flag=True, help="Count checks that could not run (no data, no GPU) as failures.")
@click.option("--data-dir", type=click.Path(path_type=Path), help="Dataset root (default $TORCH_PRACTICE_DATA or ./data).")
@click.option("--offline", is_flag=True, help="Never download datasets.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=10.0, show_default=True, help="Seconds allowed per call into your code.")
@click.option("--memory", type=MemorySize(), help="Memory for the process running your code, e.g. 8G or none "
              "(default 16G; none with CUDA).")
@click.option("-k", "select", help="Only checks whose name matches this pytest -k expression.")
@click.option("--public", "public_only", is_flag=True, help="Only the public checks (the ones a student release has).")
@click.option("-v", "--verbose", is_flag=True, help="Show every check and pytest's own output.")
def grade(lessons: tuple[str, ...], solutions: bool, submission: Path | None, json_path: Path | None,
          junit: Path | None, gradescope: Path | None, strict: bool, data_dir: Path | None, offline: bool,
          timeout: float, memory: int | None, select: str | None, public_only: bool, verbose: bool) -> None:
    """Grade LESSONS (default: all) and print the score table.

    Exit status: 0 every graded check passed, 1 a check failed, 2 bad input,
    3 the grader itself is broken.
    """
    if solutions and submission:
        fail("--solutions and --submission exclude each other")
    if submission is not None and not submission.exists():
        fail(f"submission path {submission} does not exist")
    chosen = pick_lessons(lessons, submission)

    from grader import grading, report  # torch and pytest load here, not for `practice list`

    options = grading.Options(
        impl="solutions" if solutions else "exercises",
        submission=submission.resolve() if submission else None,
        data_dir=data_dir, offline=offline, strict=strict, call_timeout=timeout, memory_limit=memory,
        select=select, public_only=public_only, verbose=verbose,
    )
    try:
        results = grading.grade(chosen, options)
    except grading.GradingError as exc:
        click.echo(f"grader error: {exc}", err=True)
        sys.exit(3)
    if not results:
        fail(f"no check matched -k {select!r}" if select else
             "no public checks in these lessons" if public_only else "no checks were collected")
    click.echo(report.table(results, verbose=verbose))
    if json_path:
        report.write_json(json_path, report.to_json(results))
    if gradescope:
        report.write_json(gradescope, report.to_gradescope(results))
    if junit:
        report.write(junit, report.to_junit(results))
    if not solutions and submission is None and select is None and not public_only:
        remember(report.by_lesson(results))
    sys.exit(0 if report.all_passed(results) else 1)


def remember(lessons: list) -> None:
    """Keep each lesson's last score for `practice list` (best effort)."""
    try:
        last = json.loads(LAST_RESULTS.read_text()) if LAST_RESULTS.exists() else {}
        last.update({lr.lesson: {"score": lr.score, "max_score": lr.max_score} for lr in lessons})
        LAST_RESULTS.parent.mkdir(exist_ok=True)
        LAST_RESULTS.write_text(json.dumps(last, indent=2) + "\n")
    except OSError:
        pass


@main.command()
@click.option("--check", is_flag=True, help="Only report whether exercises/ is up to date; exit 1 if not.")
def build(check: bool) -> None:
    """Regenerate exercises/ from solutions/ (solution regions become stubs)."""
    from grader.build import MarkerError, build as build_exercises, stale

    try:
        if check:
            if names := stale():
                click.echo(f"exercises/ is out of date for: {', '.join(names)} (run `practice build`)", err=True)
                sys.exit(1)
            click.echo("exercises/ is up to date")
            return
        written = build_exercises()
    except MarkerError as exc:
        fail(str(exc))
    click.echo(f"wrote {len(written)} files to exercises/")
