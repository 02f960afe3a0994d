"""The student's progress, kept in ``.practice/`` at the repository root
(ignored by git): the last grading result of each lesson and how many hints
each lesson or check has revealed. Imports nothing heavy: ``practice list``
and ``practice next`` read it and must start instantly.

Every read forgives a missing or damaged file (progress is a convenience,
never a reason to stop grading); every write replaces the file atomically.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from grader import catalog
from grader.lessons import LESSONS, ROOT, Lesson
from grader.report import Status

STATE = ROOT / ".practice"
# {lesson id: {"score", "max_score", "needs_gpu": points not gradable here, "failed": [check names], "graded_at"}}
RESULTS = STATE / "results.json"
HINTS = STATE / "hints.json"  # {"l10_softmax" or "l10_softmax::test_x": hints revealed so far}
BACKUPS = STATE / "backup"  # student files saved by `practice reset`


def _read(path: Path) -> dict:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def _write(path: Path, value: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".tmp")
    partial.write_text(json.dumps(value, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(partial, path)  # atomic: a crash never leaves half a file


# -- grading results ---------------------------------------------------------
def results() -> dict[str, dict]:
    """The last result per lesson id (lessons never graded are absent)."""
    return _read(RESULTS)


def remember(lessons: list) -> None:
    """Keep each graded lesson's score and failed checks (``report.LessonResult``s).
    Best effort: a read-only checkout still grades."""
    last = results()
    for lr in lessons:
        last[lr.lesson] = {
            "score": lr.score,
            "max_score": lr.max_score,
            "needs_gpu": lr.needs_gpu,
            "failed": [c.check for c in lr.checks if c.score < c.points and c.status != Status.NOT_GRADED],
            "graded_at": time.strftime("%Y-%m-%d %H:%M"),
        }
    try:
        _write(RESULTS, last)
    except OSError:
        pass


def forget(lesson: Lesson) -> None:
    """Drop the lesson's last result (``practice reset``: the stub is back)."""
    last = results()
    if last.pop(lesson.id, None) is not None:
        try:
            _write(RESULTS, last)
        except OSError:
            pass


def untouched(lesson: Lesson) -> bool:
    """Whether the lesson's file in exercises/ is still the stub it started as: not
    started, whatever an earlier grading recorded."""
    from grader.build import stub  # reads solutions/ or grader/stubs/: only when asked

    try:
        return (ROOT / "exercises" / f"{lesson.id}.py").read_text(encoding="utf-8") == stub(lesson.id)
    except (OSError, UnicodeDecodeError, SyntaxError):
        return False


def is_done(lesson: Lesson, last: dict[str, dict]) -> bool:
    """Every check of the lesson that can be graded on this machine passed: full
    marks but for the points of checks that need a GPU this machine lacks."""
    result = last.get(lesson.id)
    if result is None or result.get("failed"):
        return False
    return result.get("score", 0) + result.get("needs_gpu", 0) == lesson.points


def next_lesson(last: dict[str, dict]) -> Lesson | None:
    """The first lesson not at full marks, or None when all are done."""
    return next((lesson for lesson in LESSONS if not is_done(lesson, last)), None)


def first_failed(lesson: Lesson, last: dict[str, dict]) -> str | None:
    """The name of the first check the lesson failed last time that its suite still
    has (a check renamed since is forgotten, not looked up for hints)."""
    known = {check.name for check in catalog.lesson_checks(lesson)}
    return next((name for name in last.get(lesson.id, {}).get("failed") or [] if name in known), None)


# -- hints -------------------------------------------------------------------
def reveal(key: str, available: int) -> int:
    """Count one more hint for ``key`` and return how many are revealed now
    (at most ``available``: the last hint repeats once all are shown)."""
    counts = _read(HINTS)
    shown = min(int(counts.get(key, 0)) + 1, available)
    counts[key] = shown
    try:
        _write(HINTS, counts)
    except OSError:
        pass
    return shown
