"""Run the hidden suites with pytest and collect one ``CheckResult`` per check."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from grader.lessons import SUITES, Lesson
from grader.report import ERROR, FAILED, NOT_GRADED, PASSED, CheckResult


class GradingError(RuntimeError):
    """The grader itself is broken (a suite does not load): not the student's fault."""


@dataclass
class Options:
    impl: str = "exercises"  # or "solutions"
    submission: Path | None = None
    data_dir: Path | None = None
    offline: bool = False
    strict: bool = False
    call_timeout: float = 10.0
    memory_limit: int | None = None  # bytes per worker; None: the plugin's default, 0: no limit
    max_file_size: int | None = None  # bytes a lesson file may have; None: grader.submission's default
    select: str | None = None  # pytest -k expression over check names
    public_only: bool = False  # only the checks marked public
    verbose: bool = False


class Collector:
    """A pytest plugin object that turns reports into ``CheckResult``s."""

    def __init__(self, verbose: bool) -> None:
        self.results: list[CheckResult] = []
        self.broken_suites: list[str] = []
        self.verbose = verbose

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        props = dict(report.user_properties)
        if "points" not in props:  # a setup or teardown that went fine
            return
        if report.passed:
            status = PASSED
        elif props.get("grader_fault"):  # grader code failed (grader.sandbox.errors.GraderFault)
            status = ERROR
        elif report.skipped:
            status = NOT_GRADED
        else:
            status = FAILED if report.when == "call" or props["message"].startswith(NOT_GRADED) else ERROR
        check = report.nodeid.rpartition("::")[2]
        if report.when == "teardown" and self.results and self.results[-1].check == check:
            self.results.pop()  # a teardown failure replaces the call's result
        self.results.append(CheckResult(props["lesson"], check, props["points"], status,
                                        props["message"], props["output"], props.get("detail", "")))
        mark = {PASSED: ".", FAILED: "F", NOT_GRADED: "s", ERROR: "E"}[status]
        if self.verbose:
            print(f"  {mark} {props['lesson']} · {self.results[-1].title}", file=sys.stderr, flush=True)
        else:
            print(mark, end="", file=sys.stderr, flush=True)

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self.broken_suites.append(f"{report.nodeid}\n{report.longreprtext}")


def pytest_args(lessons: list[Lesson], options: Options) -> list[str]:
    args = [str(lesson.suite) for lesson in lessons]
    args += [
        "-p", "grader.plugin",
        "-p", "no:cacheprovider",  # nothing written next to the suites
        "-c", str(SUITES / "pytest.ini"),
        "--rootdir", str(SUITES),
        "--impl", options.impl,
        "--call-timeout", str(options.call_timeout),
        *(["--memory-limit", str(options.memory_limit)] if options.memory_limit is not None else []),
        *(["--max-file-size", str(options.max_file_size)] if options.max_file_size is not None else []),
    ]
    if not options.verbose:
        args += ["-p", "no:terminal"]
    if options.submission:
        args += ["--submission", str(options.submission)]
    if options.data_dir:
        args += ["--data-dir", str(options.data_dir)]
    if options.offline:
        args.append("--offline")
    if options.strict:
        args.append("--strict-grading")
    if options.select:
        args += ["-k", options.select]
    if options.public_only:
        args += ["-m", "public"]
    return args


def grade(lessons: list[Lesson], options: Options) -> list[CheckResult]:
    """Grade ``lessons`` and return every check's result, in suite order."""
    collector = Collector(options.verbose)
    code = pytest.main(pytest_args(lessons, options), plugins=[collector])
    if not options.verbose:
        print(file=sys.stderr)
    if collector.broken_suites:
        raise GradingError("a hidden suite failed to load: " + "\n".join(collector.broken_suites))
    if code in (pytest.ExitCode.INTERNAL_ERROR, pytest.ExitCode.USAGE_ERROR, pytest.ExitCode.INTERRUPTED):
        raise GradingError(f"pytest stopped grading: {code.name}")
    return collector.results
