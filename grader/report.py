"""Grading results and the ways they are reported: a terminal table, JSON,
JUnit XML and Gradescope ``results.json``. Imports nothing heavy."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from pathlib import Path

from grader import catalog, release, text
from grader.lessons import BY_ID


class Status(StrEnum):
    """A check's result. The values are what reports write (JSON ``status``) and what
    students read ("not graded: needs CUDA")."""

    PASSED = "passed"
    FAILED = "failed"  # the student's code is wrong
    NOT_GRADED = "not graded"  # the check could not run here: no dataset, no GPU
    ERROR = "error"  # a fault of the grader, not the student


@dataclass
class CheckResult:
    lesson: str
    check: str  # the test function's name: test_softmax_rows_sum_to_one
    points: int
    status: Status
    message: str = ""
    output: str = ""  # what the student's code printed during the check
    detail: str = ""  # what a check reports even when it passes: "accuracy 0.9812 (needs 0.97)"

    def __post_init__(self) -> None:
        self.status = Status(self.status)
        # The message and output hold the student's text (what its code printed, what its
        # errors said): neutralised here, once, before any report shows or stores them.
        self.message, self.output, self.detail = map(text.clean, (self.message, self.output, self.detail))

    @property
    def title(self) -> str:
        """The check's name as a sentence: ``softmax rows sum to one``."""
        return self.check.removeprefix("test_").replace("_", " ")

    @property
    def score(self) -> int:
        return self.points if self.status == Status.PASSED else 0

    @property
    def needs_gpu(self) -> bool:
        """Not graded only because this machine has no CUDA: it cannot be graded here at all."""
        return self.status == Status.NOT_GRADED and self.message == f"not graded: {NEEDS_CUDA}"


NEEDS_CUDA = "needs CUDA"  # the reason a @gpu check is not graded on a machine without CUDA


@dataclass
class LessonResult:
    lesson: str
    checks: list[CheckResult] = field(default_factory=list)

    @property
    def score(self) -> int:
        return sum(c.score for c in self.checks)

    @property
    def max_score(self) -> int:
        """Points of the checks that were graded."""
        return sum(c.points for c in self.checks if c.status != Status.NOT_GRADED)

    @property
    def needs_gpu(self) -> int:
        """Points of the checks that need a GPU this machine does not have."""
        return sum(c.points for c in self.checks if c.needs_gpu)

    @property
    def not_graded(self) -> int:
        """Points of the checks that could not run here (no GPU, no dataset)."""
        return sum(c.points for c in self.checks if c.status == Status.NOT_GRADED)

    def count(self, status: Status) -> int:
        return sum(c.status == status for c in self.checks)

    @property
    def status(self) -> str:
        """Done means every check that can be graded on this machine passed: a check
        that needs a GPU does not hold it back, one that lacks its dataset does."""
        if self.count(Status.ERROR):
            return "grader error"
        if self.count(Status.FAILED):
            return "not yet" if self.score < self.max_score else "failed"
        if self.not_graded > self.needs_gpu:
            return "partly graded"
        return release.done_word(self.lesson)  # a student release names the checks it does not hold

    @property
    def not_graded_text(self) -> str:
        """The table's "not graded" cell: "1 pt needs a GPU", "18 pts, reason below" or ""."""
        points = self.not_graded
        if not points:
            return ""
        if points == self.needs_gpu:
            return gpu_text(points)
        return f"{points_text(points)}, reason below"


def points_text(points: int) -> str:
    return f"{points} pt{'s' * (points != 1)}"


def gpu_text(points: int) -> str:
    """``1 pt needs a GPU``: points shown apart because this machine cannot grade them."""
    return f"{points_text(points)} need{'s' * (points == 1)} a GPU"


def by_lesson(results: list[CheckResult]) -> list[LessonResult]:
    lessons: dict[str, LessonResult] = {}
    for result in results:
        lessons.setdefault(result.lesson, LessonResult(result.lesson)).checks.append(result)
    return list(lessons.values())


def all_passed(results: list[CheckResult]) -> bool:
    """True when every graded check passed (not-graded checks do not count)."""
    return all(r.status in (Status.PASSED, Status.NOT_GRADED) for r in results)


def exit_status(results: list[CheckResult]) -> int:
    """``practice grade``'s exit status: 3 when a check ended in a grader error (the
    grader's fault, whatever the student's code does), else 0 when every graded check
    passed, else 1."""
    if any(r.status == Status.ERROR for r in results):
        return 3
    return 0 if all_passed(results) else 1


# -- terminal -------------------------------------------------------------
MARKS = {Status.PASSED: "ok", Status.FAILED: "FAIL", Status.NOT_GRADED: "--", Status.ERROR: "ERROR"}


# characters shown of each printed line, as of a failure message's line: a torch warning
# ("l03_autograd.py:12: UserWarning: The .grad attribute ... won't be populated during
# autograd.backward()") keeps its reason; the full excerpt is in the JSON report
OUTPUT_LINE_WIDTH = 200


def shorten_line(line: str, width: int = OUTPUT_LINE_WIDTH) -> str:
    """``line`` cut to about ``width`` characters at the end of a sentence, so that a
    torch warning keeps whole sentences ("... won't be populated during
    autograd.backward(). ...") rather than stopping in the middle of one; a line
    with no sentence end in its second half is cut at ``width``."""
    if len(line) <= width:
        return line
    end = line.rfind(". ", width // 2, width + 1)
    return line[: end + 1] + " ..." if end != -1 else line[:width] + "..."


# Grading several lessons, details are shown for the first unfinished one only when more than
# this many are unfinished: a fresh checkout's 15 stubs would print ~200 "not implemented yet" blocks.
DETAILED_UNFINISHED = 1


def table(results: list[CheckResult], verbose: bool = False) -> str:
    """The score table, then one block per failed or not-graded check (of the first
    unfinished lesson only, when several are unfinished and not ``verbose``)."""
    lessons = by_lesson(results)
    rows = [("lesson", "title", "checks", "points", "not graded", "status")]
    for lr in lessons:
        title = BY_ID[lr.lesson].title if lr.lesson in BY_ID else ""
        graded = len(lr.checks) - lr.count(Status.NOT_GRADED)
        checks, points = f"{lr.count(Status.PASSED)}/{graded}", f"{lr.score}/{lr.max_score}"
        rows.append((lr.lesson, title, checks, points, lr.not_graded_text, lr.status))
    not_graded = sum(lr.not_graded for lr in lessons)
    total = f"{sum(lr.score for lr in lessons)}/{sum(lr.max_score for lr in lessons)}"
    rows.append(("total", "", "", total, points_text(not_graded) if not_graded else "", ""))
    if not not_graded:  # no column for nothing
        rows = [row[:4] + row[5:] for row in rows]
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(_pad(cell, w) for cell, w in zip(row, widths)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.insert(len(lines) - 1, lines[1])
    unfinished = [lr.lesson for lr in lessons if lr.count(Status.FAILED) or lr.count(Status.ERROR)]
    shown = set(unfinished[:1]) if len(unfinished) > DETAILED_UNFINISHED and not verbose else set(unfinished)
    last_reason = None
    for r in results:
        if r.status == Status.PASSED and not verbose and not r.detail:
            continue
        if r.status in (Status.FAILED, Status.ERROR) and r.lesson not in shown:
            continue
        if r.status != Status.PASSED:
            lines.append("")
        detail = f": {r.detail}" if r.detail and r.status == Status.PASSED else ""
        lines.append(f"{MARKS[r.status]:5} {r.lesson} · {r.title} ({points_text(r.points)}){detail}")
        if r.status == Status.NOT_GRADED and r.message == last_reason:
            lines.append("      not graded: the same reason as above")
            continue
        last_reason = r.message if r.status == Status.NOT_GRADED else None
        lines += [f"      {line}" for line in r.message.splitlines()]
        if r.output.strip() and r.status != Status.PASSED:
            out = [shorten_line(line) for line in r.output.strip().splitlines()]
            lines.append("      your code printed: " + " | ".join(out[:3]) + (" | ..." if len(out) > 3 else ""))
    if hidden := [lesson for lesson in unfinished if lesson not in shown]:
        lines += [
            "",
            f"details of {len(hidden)} more unfinished lesson{'s' * (len(hidden) != 1)} left out: "
            f"`practice grade {hidden[0]}` shows one, `practice grade -v` shows them all",
        ]
    return "\n".join(lines)


def _width(text: str) -> int:
    # CJK characters take two columns in a terminal
    return sum(2 if "\u2e80" <= ch <= "\uffef" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


# -- files ----------------------------------------------------------------
def to_json(results: list[CheckResult]) -> dict:
    lessons = by_lesson(results)
    return {
        "score": sum(lr.score for lr in lessons),
        "max_score": sum(lr.max_score for lr in lessons),
        "passed": all_passed(results),
        "lessons": [
            {
                "lesson": lr.lesson,
                "score": lr.score,
                "max_score": lr.max_score,
                "not_graded": lr.not_graded,  # points of checks that could not run here
                "needs_gpu": lr.needs_gpu,  # of which: points of checks that need a GPU this machine lacks
                "status": lr.status,
                "checks": [asdict(c) | {"title": c.title, "score": c.score} for c in lr.checks],
            }
            for lr in lessons
        ],
    }


# When Gradescope shows a hidden check (its name, points and message) to the student; public
# checks are always "visible", since the student release runs them anyway.
HIDDEN_VISIBILITIES = ("hidden", "after_due_date", "after_published")


def public_checks(lesson: str) -> set[str]:
    """The names of a lesson's ``@public`` checks (none for a lesson this grader does not know)."""
    return {c.name for c in catalog.lesson_checks(BY_ID[lesson]) if c.public} if lesson in BY_ID else set()


def to_gradescope(results: list[CheckResult], hidden_visibility: str = "after_published") -> dict:
    """Gradescope's ``results.json``: not-graded checks carry no points. Every
    output and name is declared plain text (``output_format`` and friends), so
    Gradescope shows it as written instead of formatting it. Public checks are
    ``visible``; hidden ones get ``hidden_visibility``; the total score is always visible."""
    if hidden_visibility not in HIDDEN_VISIBILITIES:
        raise ValueError(
            f"hidden_visibility must be one of {', '.join(HIDDEN_VISIBILITIES)}, not {hidden_visibility!r}"
        )
    public = {lesson: public_checks(lesson) for lesson in {r.lesson for r in results}}
    tests = []
    for r in results:
        test = {
            "name": f"{r.lesson}: {r.title}",
            "score": r.score,
            "max_score": 0 if r.status == Status.NOT_GRADED else r.points,
            "output": "\n".join(filter(None, [r.detail, r.message, r.output and f"Your code printed:\n{r.output}"])),
            "output_format": "text",  # shown as written: not html, md, ansi or the default simple_format
            "name_format": "text",
            "visibility": "visible" if r.check in public[r.lesson] else hidden_visibility,
        }
        if r.status != Status.NOT_GRADED:  # Gradescope's two words; an error is a failure there
            test["status"] = "passed" if r.status == Status.PASSED else "failed"
        tests.append(test)
    return {
        "score": sum(r.score for r in results),
        "visibility": "visible",  # the submission's total, whatever its checks' visibility
        "output_format": "text",
        "test_output_format": "text",
        "test_name_format": "text",
        "tests": tests,
    }


JUNIT_TAGS = {Status.FAILED: "failure", Status.ERROR: "error", Status.NOT_GRADED: "skipped"}


def to_junit(results: list[CheckResult]) -> str:
    root = ET.Element("testsuites", name="torch-practice")
    for lr in by_lesson(results):
        suite = ET.SubElement(
            root,
            "testsuite",
            name=lr.lesson,
            tests=str(len(lr.checks)),
            failures=str(lr.count(Status.FAILED)),
            errors=str(lr.count(Status.ERROR)),
            skipped=str(lr.count(Status.NOT_GRADED)),
        )
        for r in lr.checks:
            case = ET.SubElement(suite, "testcase", classname=r.lesson, name=r.check)
            ET.SubElement(case, "properties").append(ET.Element("property", name="points", value=str(r.points)))
            if tag := JUNIT_TAGS.get(r.status):
                first_line = r.message.splitlines()[0] if r.message else str(r.status)
                ET.SubElement(case, tag, message=first_line).text = r.message
            if r.output:
                ET.SubElement(case, "system-out").text = r.output
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True)


def write(path: str | Path, text: str) -> None:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(text, encoding="utf-8")


def write_json(path: str | Path, payload: dict) -> None:
    write(path, json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
