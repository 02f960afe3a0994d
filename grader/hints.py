"""``practice hint``: hints from vague to specific, one more per call.

A lesson's hints live in its row of the course file (``Lesson.hints``); a check's hints
in its ``@hints(...)`` decorator in the suite. Which ones a student has seen
is counted in ``.practice/hints.json``.
"""

from __future__ import annotations

from grader import catalog, progress
from grader.lessons import Lesson


def _numbered(hints: tuple[str, ...], key: str) -> str:
    shown = progress.reveal(key, len(hints))
    more = " (that was the last one)" if shown == len(hints) else ""
    return f"hint {shown}/{len(hints)}{more}: {hints[shown - 1]}"


def next_hint(lesson: Lesson, check_name: str | None = None) -> str:
    """The next hint for ``lesson`` or one of its checks, with a pointer to the
    check to ask about when the student has not named one.
    Raises ``catalog.UnknownCheck`` for a check the suite does not have."""
    if check_name is not None:
        check = catalog.find_check(lesson, check_name)
        if check.hints:
            return f"{lesson.id} · {check.title}\n{_numbered(check.hints, f'{lesson.id}::{check.name}')}"
        lines = [f"{lesson.id} · {check.title} has no hints of its own; the lesson's next hint:"]
    else:
        lines = [f"{lesson.id} · {lesson.title}"]
    lines.append(_numbered(lesson.hints, lesson.id) if lesson.hints else "this lesson has no hints yet")
    failed = progress.first_failed(lesson, progress.results())
    if check_name is None and failed:
        short = failed.removeprefix("test_")
        lines.append(
            f"your first failing check last time: {short.replace('_', ' ')}\n"
            f"  hints for it: practice hint {lesson.id} {short}"
        )
    return "\n".join(lines)
