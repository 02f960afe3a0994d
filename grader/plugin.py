"""The pytest plugin that turns ``grader/suites`` into a grader.

Loaded with ``-p grader.plugin`` by ``grader.grading.grade``, which also hands
pytest its ``Options`` (read here with ``options(config)``). It adds the
``student`` fixture (one sandboxed worker per lesson module), dataset fixtures
that report "not graded" when data is missing (``NotGraded``), the ``points``,
``gpu`` and ``training`` markers, and attaches to every check's report its
``CheckResult`` (``grading.attach``): points, status, a short message, what the
student's code printed and the check's notes.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import NoReturn

import pytest
import torch

from grader import check, data, submission, text
from grader.grading import Options, attach, keyword_expression, selects
from grader.lessons import BY_ID, ROOT
from grader.report import NEEDS_CUDA, CheckResult, Status
from grader.sandbox.errors import GraderFault, StudentError
from grader.sandbox.host import WorkerConfig, WorkerProcess
from grader.sandbox.proxies import Student
from grader.sandbox.reaper import become_subreaper, reap_orphans
from grader.watch import TRAINING_LINE_ENV

DEFAULT_MEMORY = 16 << 30  # bytes of address space for a CPU worker; torch alone maps ~3 GiB
OPTIONS = pytest.StashKey[Options]()
NOTES = pytest.StashKey[list[str]]()  # the notes of an item's check (grader.check.note)


class NotGraded(pytest.skip.Exception):
    """The check cannot run here (a dataset is missing, there is no GPU): its
    status is "not graded", or "failed" with ``Options.strict``. Raised with
    ``not_graded(reason)``; the student reads "not graded: <reason>"."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"{Status.NOT_GRADED}: {reason}")
        self.reason = reason


def not_graded(reason: str) -> NoReturn:
    """Stop the check (or the fixture it uses) as not graded: ``not_graded("needs CUDA")``."""
    raise NotGraded(reason)


def options(config: pytest.Config) -> Options:
    """The options of this grading run."""
    return config.stash[OPTIONS]


def pytest_configure(config: pytest.Config) -> None:
    # grading.grade hands its Options to pytest as a plugin; pytest run by hand
    # (`pytest grader/suites -p grader.plugin`) grades exercises/ with the defaults
    handed = [plugin for plugin in config.pluginmanager.get_plugins() if isinstance(plugin, Options)]
    config.stash[OPTIONS] = handed[0] if handed else Options()
    config.addinivalue_line("markers", "points(n): points a check is worth")
    config.addinivalue_line("markers", "gpu: graded only where CUDA is available")
    config.addinivalue_line("markers", "public: students may run it; every other check is hidden")
    config.addinivalue_line("markers", "training: trains a model to a threshold (minutes)")
    config.addinivalue_line("markers", "shape_check: checks only shape, dtype and type; a constant result may pass")
    config.addinivalue_line("markers", "hints(*texts): hints for `practice hint`, vague to specific")
    become_subreaper()  # so that nothing a submission starts can outlive grading


def pytest_unconfigure(config: pytest.Config) -> None:
    reap_orphans()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("points") is None:
            raise pytest.UsageError(f"{item.nodeid} has no @points(n)")
    if options(config).select:  # -k: by the check's own name, not its module's (grading.selects)
        try:
            expression = keyword_expression(options(config).select)
            deselect_unless(config, items, lambda item: selects(expression, item.name, marker_names(item)))
        except ValueError as exc:
            raise pytest.UsageError(str(exc)) from None


def marker_names(item: pytest.Item) -> list[str]:
    return [mark.name for mark in item.iter_markers()]


def deselect_unless(config: pytest.Config, items: list[pytest.Item], keep: Callable[[pytest.Item], bool]) -> None:
    """Drop the items ``keep`` refuses, telling pytest (its -v account counts them as deselected)."""
    kept = [item for item in items if keep(item)]
    if len(kept) < len(items):
        config.hook.pytest_deselected(items=[item for item in items if item not in kept])
        items[:] = kept


def lesson_id(item: pytest.Item | pytest.FixtureRequest) -> str:
    return item.module.__name__.rpartition(".")[2].removeprefix("test_")


def lesson_file(config: pytest.Config, lesson: str) -> tuple[Path, str]:
    """The file that implements ``lesson`` in the implementation under test, as
    ``(folder, name)``: the folder is the teacher's and is followed, every
    component of ``name`` is checked before the file is read (grader.submission)."""
    named = options(config).submission
    if named is None:
        return ROOT, f"{options(config).impl}/{lesson}.py"
    folder, name = submission.split(Path(named))
    return (folder, f"{name}/{lesson}.py") if Path(named).is_dir() else (folder, name)


def lesson_source(config: pytest.Config, lesson: str) -> tuple[Path, bytes, str | None]:
    """The lesson file's path, its bytes (read once, here) and why it cannot be
    graded (None when it can): missing, a link, not a regular file, too large."""
    folder, name = lesson_file(config, lesson)
    path = folder / name
    if path.stem != lesson:  # the one path named is no file, or a file named for another lesson
        return path, b"", submission.not_the_lesson_file(folder, name, f"{lesson}.py")
    try:
        return path, submission.read(folder, name, options(config).max_file_size), None
    except submission.Refused as exc:
        return path, b"", str(exc)


# -- fixtures -------------------------------------------------------------
@pytest.fixture(scope="module")
def student(request: pytest.FixtureRequest) -> Iterator[Student]:
    """The implementation under test for this suite's lesson, in a fresh sandbox."""
    config = request.config
    lesson = lesson_id(request)
    path, source, refused = lesson_source(config, lesson)
    root, offline = data_options(config)
    data_files = []  # what the worker may read of the data, besides data.worker_dir: no test labels
    for name in BY_ID[lesson].datasets if lesson in BY_ID else ():
        try:
            data_files += data.prepare(name, root, offline)  # here, not in the sandbox, which may not write data
        except data.DatasetMissing:
            pass  # the checks that need it say "not graded"
    worker = WorkerProcess(
        WorkerConfig(
            lesson=lesson,
            path=path,
            source=source,
            data_root=root,
            offline=offline,
            data_files=tuple(data_files),
            call_timeout=options(config).call_timeout,
            threads=options(config).threads,
            memory_limit=memory_limit(config),
        )
    )
    capture = config.pluginmanager.getplugin("capturemanager")
    with capture.global_and_fixture_disabled():  # pytest captures stderr while checks run: look past it
        on_terminal = sys.stderr.isatty()
    if watching := os.environ.get(TRAINING_LINE_ENV):  # `practice watch` runs this grading: tell it
        worker.on_training_line = lambda text: write_training_line(Path(watching), text)
    elif on_terminal:  # show training progress on one rewritten line
        worker.on_training_line = lambda text: show_training_line(capture, lesson, text)
    worker.load_error = refused  # every check of the lesson fails with this sentence
    yield Student(worker)
    worker.dispose()


def show_training_line(capture, lesson: str, text: str | None) -> None:  # noqa: ANN001 - pytest's CaptureManager
    """``  training l10_softmax: epoch 3/8, loss 0.2871`` on one terminal line; None clears it."""
    with capture.global_and_fixture_disabled():
        sys.stderr.write("\r\033[K" + (f"  training {lesson}: {text}" if text else ""))
        sys.stderr.flush()


def write_training_line(path: Path, text: str | None) -> None:
    """The training line (rebuilt from numbers by grader.sandbox.host) for ``practice watch``; None empties it.
    Replaced whole, so that watch never reads half a line."""
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text or "", encoding="utf-8")
    os.replace(partial, path)


def memory_limit(config: pytest.Config) -> int | None:
    """The option, else 16 GiB on the CPU; no limit by default with CUDA,
    whose driver reserves far more address space than it uses."""
    chosen = options(config).memory_limit
    if chosen is not None:
        return chosen or None
    return None if torch.cuda.is_available() else DEFAULT_MEMORY


def data_options(config: pytest.Config) -> tuple[Path, bool]:
    """The dataset root and whether downloads are off, from the options and the environment."""
    chosen = options(config)
    return data.data_root(chosen.data_dir), chosen.offline or data.is_offline()


def _dataset(request: pytest.FixtureRequest, name: str) -> data.ImageSet:
    try:
        return data.load_images(name, *data_options(request.config))
    except data.DatasetMissing as exc:
        not_graded(str(exc))


@pytest.fixture(scope="session")
def mnist(request: pytest.FixtureRequest) -> data.ImageSet:
    """MNIST as uint8 tensors; the check is not graded when it is missing."""
    return _dataset(request, "mnist")


@pytest.fixture(scope="session")
def fashion_mnist(request: pytest.FixtureRequest) -> data.ImageSet:
    return _dataset(request, "fashion_mnist")


@pytest.fixture(scope="session")
def cifar10(request: pytest.FixtureRequest) -> data.ImageSet:
    """CIFAR-10 as uint8 tensors ((N, 32, 32, 3) images); the check is not
    graded when it is missing. The first use decodes and caches it."""
    return _dataset(request, "cifar10")


@pytest.fixture(scope="session")
def course_file(request: pytest.FixtureRequest):
    """``course_file("wine")`` -> the file's path; the check is not graded
    when the file is missing."""
    root, offline = data_options(request.config)

    def find(name: str) -> Path:
        try:
            return data.course_file(name, root, offline)
        except data.DatasetMissing as exc:
            not_graded(str(exc))

    return find


@pytest.fixture(scope="session")
def worker_file(request: pytest.FixtureRequest):
    """``worker_file("diabetes.csv.gz", content)`` -> the path of a file the
    grader wrote for the worker (``data.write_for_worker``): one it may read
    but not write, such as a course file with its held-out labels blanked."""
    root, _ = data_options(request.config)
    return lambda name, content: data.write_for_worker(root, name, content)


# -- running and reporting ------------------------------------------------
def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("gpu") and not torch.cuda.is_available():
        not_graded(NEEDS_CUDA)


MESSAGE_LINES, LINE_WIDTH = 3, 200  # a failure is summarised, never a dump of a long tensor


def failure_message(excinfo: pytest.ExceptionInfo, hints: Sequence[str] = ()) -> str:
    """At most three short lines for the score table: the reason and the hint
    (a failed verdict without one gets the check's last of ``hints``)."""
    exc = excinfo.value
    if isinstance(exc, StudentError):
        text = str(exc)
    elif isinstance(exc, pytest.skip.Exception):  # NotGraded: "not graded: needs CUDA"
        text = exc.msg
    elif isinstance(exc, GraderFault):  # str() names the place in the grader
        text = str(exc) if str(exc).startswith("grader error") else f"grader error: {exc}"
    elif isinstance(exc, AssertionError):
        text = str(exc).strip()
        if not text.startswith("assert "):  # a custom message: drop pytest's "assert ..." introspection after it
            text = text.partition("\nassert ")[0]
        text = check.with_default_hint(text, hints)
    else:
        text = f"{type(exc).__name__}: {str(exc).strip()}"
    lines = text.strip().splitlines()[:MESSAGE_LINES]
    return "\n".join(line if len(line) <= LINE_WIDTH else line[: LINE_WIDTH - 3] + "..." for line in lines)


def status_of(call: pytest.CallInfo, strict: bool) -> Status:
    """A check's status from how one phase (setup, call, teardown) of it ended."""
    exc = call.excinfo.value if call.excinfo else None
    if exc is None:
        return Status.PASSED
    if isinstance(exc, NotGraded):
        return Status.FAILED if strict else Status.NOT_GRADED  # strict (CI): a check that could not run fails
    if isinstance(exc, pytest.skip.Exception):
        return Status.NOT_GRADED
    if isinstance(exc, GraderFault) or call.when != "call":  # a fixture that broke is the grader's too
        return Status.ERROR
    return Status.FAILED


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    with check.collecting_notes() as notes:  # what grader.check.note says while the check runs
        item.stash[NOTES] = notes
        yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    if call.when != "call" and report.passed:
        return  # only the call, or a setup/teardown that went wrong, is a check's result
    verdict = status_of(call, options(item.config).strict)
    if verdict == Status.FAILED and report.skipped:
        report.outcome = "failed"  # pytest's own account (-v) and exit status agree
    student = item.funcargs.get("student")
    output = student.take_output() if isinstance(student, Student) else ""
    _neutralise_longrepr(report)
    attach(
        report,
        CheckResult(
            lesson=lesson_id(item),
            check=item.name,
            points=item.get_closest_marker("points").args[0],
            status=verdict,
            message=failure_message(call.excinfo, check.hints_of(item)) if call.excinfo else "",
            output=output,
            detail="; ".join(item.stash.get(NOTES, [])) if call.when == "call" else "",
        ),
    )


def _neutralise_longrepr(report: pytest.TestReport) -> None:
    """pytest's own account of a failure (printed by ``practice grade -v``) quotes
    the student's error messages: it is shown as clean text. The message and output
    attached above are cleaned by ``CheckResult`` itself."""
    if isinstance(report.longrepr, tuple):  # a skip: (path, line, reason)
        path, line, reason = report.longrepr
        report.longrepr = (path, line, text.clean(reason))
    elif report.longrepr is not None:
        report.longrepr = text.clean(str(report.longrepr))
    report.sections = [(title, text.clean(content)) for title, content in report.sections]
