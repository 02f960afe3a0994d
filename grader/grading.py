"""Run the hidden suites with pytest and collect one ``CheckResult`` per check.

``grade`` hands pytest two plugin objects besides ``grader.plugin``: the
``Options`` of the run (the plugin reads them from there) and a ``Collector``
that gathers the ``CheckResult`` the plugin attaches to each check's report.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pytest
from _pytest.mark.expression import Expression  # what pytest -k itself uses

from grader.lessons import SUITES, Lesson
from grader.report import CheckResult, Status
from grader.submission import MAX_FILE_BYTES


class GradingError(RuntimeError):
    """The grader itself is broken (a suite does not load): not the student's fault."""


@dataclass(frozen=True)  # frozen: hashable, as pytest wants its plugins
class Options:
    """How to grade: the one place a grading option is defined. ``grade`` hands this
    object to pytest as a plugin and ``grader.plugin`` reads it (``plugin.options``);
    a new option is a field here and, if students or teachers set it, a CLI flag."""

    impl: Literal["exercises", "solutions"] = "exercises"  # the folder graded, unless a submission is named
    submission: Path | None = None  # a folder laid out like exercises/, or one lesson file
    data_dir: Path | None = None  # None: $TORCH_PRACTICE_DATA or ./data
    offline: bool = False  # never download datasets
    strict: bool = False  # a check that could not run (no data, no GPU) fails instead of "not graded"
    call_timeout: float = 10.0  # CPU seconds per call into student code (grader.sandbox.cputime)
    threads: int | None = None  # torch threads of the sandboxed worker; None: grader.sandbox.threads chooses
    memory_limit: int | None = None  # bytes per worker; None: the plugin's default, 0: no limit
    max_file_size: int = MAX_FILE_BYTES  # bytes a lesson file may have; larger ones are refused
    select: str | None = None  # a pytest -k expression over check names (``selects``), not module names
    markers: str | None = None  # pytest -m expression over markers: "not training" skips the trainings
    public_only: bool = False  # only the checks marked public
    verbose: bool = False


RESULT = "torch_practice_result"  # the attribute of a check's TestReport that holds its CheckResult


def attach(report: pytest.TestReport, result: CheckResult) -> None:
    """Give a check's report its result (``grader.plugin`` does, for the Collector)."""
    setattr(report, RESULT, result)


def attached(report: pytest.TestReport) -> CheckResult | None:
    """The result ``attach`` gave the report; None for a setup or teardown that went fine."""
    return getattr(report, RESULT, None)


STDERR_MARKS = {Status.PASSED: ".", Status.FAILED: "F", Status.NOT_GRADED: "s", Status.ERROR: "E"}  # one per check


class Collector:
    """A pytest plugin object that gathers each check's ``CheckResult``."""

    def __init__(self, verbose: bool) -> None:
        self.results: list[CheckResult] = []
        self.broken_suites: list[str] = []
        self.verbose = verbose

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        result = attached(report)
        if result is None:
            return
        if report.when == "teardown" and self.results and self.results[-1].check == result.check:
            self.results.pop()  # a teardown failure replaces the call's result
        self.results.append(result)
        if self.verbose:
            print(f"  {STDERR_MARKS[result.status]} {result.lesson} · {result.title}", file=sys.stderr, flush=True)
        else:
            print(STDERR_MARKS[result.status], end="", file=sys.stderr, flush=True)

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self.broken_suites.append(f"{report.nodeid}\n{report.longreprtext}")


SELECTABLE_MARKERS = ("gpu", "public", "training")  # marker names -k matches besides the check's own name


def keyword_expression(select: str) -> Expression:
    """``select`` (``-k softmax``, ``-k "loss and not training"``) compiled with
    pytest's own expression language; ``ValueError`` says what is wrong with it."""
    try:
        return Expression.compile(select)
    except SyntaxError as exc:  # what pytest 9 raises for a malformed expression
        raise ValueError(f"-k {select!r} is not a valid expression: {exc.msg} (at column {exc.offset})") from None


def selects(expression: Expression, check: str, markers: Iterable[str] = ()) -> bool:
    """Whether ``-k`` selects a check: each word of the expression must be a part of
    the check's name (``softmax`` matches ``test_softmax_rows_sum_to_one``; any case)
    or of one of its ``SELECTABLE_MARKERS``. The lesson is chosen by name, not by -k."""
    names = [check.lower(), *(m for m in markers if m in SELECTABLE_MARKERS)]

    def matches(word: str, /, **kwargs: object) -> bool:
        if kwargs:
            raise ValueError("-k takes names, not name(argument=...)")
        return any(word.lower() in name for name in names)

    return expression.evaluate(matches)


def pytest_args(lessons: list[Lesson], options: Options) -> list[str]:
    """pytest's own arguments: the suites, how pytest runs and which checks it selects
    (``-k``, ``-m``). The grader's options are not among them: they travel as ``options``."""
    args = [str(lesson.suite) for lesson in lessons]
    args += [
        "-p",
        "grader.plugin",
        "-p",
        "no:cacheprovider",  # nothing written next to the suites
        "-c",
        str(SUITES / "pytest.ini"),
        "--rootdir",
        str(SUITES),
    ]
    if not options.verbose:
        args += ["-p", "no:terminal"]
    # -k is not pytest's: pytest would match the module's name too, so that `-k softmax`
    # selected every check of test_l10_softmax.py. The plugin applies it (``selects``).
    markers = [
        f"({expression})" for expression in ("public" if options.public_only else None, options.markers) if expression
    ]
    if markers:  # pytest keeps only the last -m
        args += ["-m", " and ".join(markers)]
    return args


def grade(lessons: list[Lesson], options: Options) -> list[CheckResult]:
    """Grade ``lessons`` and return every check's result, in suite order."""
    collector = Collector(options.verbose)
    code = pytest.main(pytest_args(lessons, options), plugins=[collector, options])
    if not options.verbose:
        print(file=sys.stderr)
    if collector.broken_suites:
        raise GradingError("a hidden suite failed to load: " + "\n".join(collector.broken_suites))
    if code in (pytest.ExitCode.INTERNAL_ERROR, pytest.ExitCode.USAGE_ERROR, pytest.ExitCode.INTERRUPTED):
        raise GradingError(f"pytest stopped grading: {code.name}")
    return collector.results
