"""Who is to blame when a check cannot pass: the two exceptions the trusted
side raises, and how an error reply from the worker becomes one of them.

The worker says whose code raised (``blame`` in its error reply, see
``grader.sandbox.worker.describe_error``): the student's lesson file, or the
grader's own code (a driver in ``grader/drivers``). Whatever the worker
claims, a reply can only ever fail a check, never pass one: a hostile worker
that claims "grader" turns its own failure into a grader error worth no points.
"""

from __future__ import annotations

import re
from typing import Any

from grader import feedback
from grader.sandbox.wire import clip


class StudentError(Exception):
    """A check failed because of what the student's code did (raised,
    timed out, crashed, returned something unreadable). ``str()`` is the
    one-line reason shown in the score table."""

    def __init__(self, reason: str, error_type: str = "") -> None:
        super().__init__(reason)
        self.error_type = error_type


class GraderFault(Exception):
    """A check could not be graded because grader code failed (a driver raised,
    a driver name does not exist): the grader's fault, never the student's.
    ``str()`` names where in the grader it happened; the check's status is
    "error" and ``practice grade`` exits 3."""


GRADER_LOCATION = re.compile(r"grader/[\w/]+\.py:\d+ \([\w<>]+\)")  # what a worker's "where" may say of grader code


def gib(n: int) -> str:
    return f"{n / (1 << 30):g} GiB"


def error_from_reply(error: Any, what: str, memory_limit: int | None = None) -> StudentError | GraderFault:
    """The exception for an error reply; its strings are cut to ``TEXT_LIMIT``
    here, before any pattern or formatting runs over them."""
    if not isinstance(error, dict):
        return StudentError(f"{what} failed")
    kind, message, where = (clip(error.get(k)) for k in ("type", "message", "where"))
    first_line = message.strip().splitlines()[0] if message.strip() else ""
    if error.get("blame") == "grader":
        at = f" in {where}" if GRADER_LOCATION.fullmatch(where) else ""
        return GraderFault(f"grader error{at}: {kind}: {first_line}"[:300])
    at = f" at {where}" if where else ""
    if kind == "NotImplementedError":
        return StudentError(f"not implemented yet: {message or what}{at}", kind)
    reason = f"{kind}{at} during {what}: {first_line}"[:300]
    if memory_limit and (kind == "MemoryError" or "can't allocate memory" in message):
        reason += f"\nhint: the worker's memory limit is {gib(memory_limit)}; a teacher can change it with --memory"
    if tip := feedback.advice(message):
        reason += f"\nhint: {tip}"
    return StudentError(reason, kind)
