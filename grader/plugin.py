"""The pytest plugin that turns ``grader/suites`` into a grader.

Loaded with ``-p grader.plugin``. It adds the options that pick the
implementation under test, the ``student`` fixture (one sandboxed worker per
lesson module), dataset fixtures that report "not graded" when data is
missing, the ``points`` and ``gpu`` markers, and records for every check its
points, status and a one-line message in ``report.user_properties``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Iterator

import pytest
import torch

from grader import check, data, submission, text
from grader.lessons import BY_ID, ROOT
from grader.sandbox.errors import GraderFault, StudentError
from grader.sandbox.host import WorkerConfig, WorkerProcess
from grader.sandbox.proxies import Student
from grader.sandbox.reaper import become_subreaper, reap_orphans

NOT_GRADED = "not graded"
DEFAULT_MEMORY = 16 << 30  # bytes of address space for a CPU worker; torch alone maps ~3 GiB


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("torch-practice")
    group.addoption("--impl", choices=("exercises", "solutions"), default="exercises",
                    help="grade the student's exercises/ (default) or the reference solutions/")
    group.addoption("--submission", default=None, help="grade this folder (laid out like exercises/) or lesson file")
    group.addoption("--data-dir", default=None, help="dataset root (default: $TORCH_PRACTICE_DATA or ./data)")
    group.addoption("--offline", action="store_true", default=False, help="never download datasets")
    group.addoption("--strict-grading", action="store_true", default=False, help="count not-graded checks as failures")
    group.addoption("--call-timeout", type=float, default=10.0, help="seconds allowed per call into student code")
    group.addoption("--max-file-size", type=int, default=submission.MAX_FILE_BYTES,
                    help="bytes a lesson file may have (larger ones are refused)")
    group.addoption("--memory-limit", type=int, default=None,
                    help=f"bytes of address space per worker (default {DEFAULT_MEMORY >> 30} GiB; none with CUDA)")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "points(n): points a check is worth")
    config.addinivalue_line("markers", "gpu: graded only where CUDA is available")
    config.addinivalue_line("markers", "public: students may run it; every other check is hidden")
    config.addinivalue_line("markers", "training: trains a model to a threshold (minutes)")
    config.addinivalue_line("markers", "hints(*texts): hints for `practice hint`, vague to specific")
    become_subreaper()  # so that nothing a submission starts can outlive grading


def pytest_unconfigure(config: pytest.Config) -> None:
    reap_orphans()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("points") is None:
            raise pytest.UsageError(f"{item.nodeid} has no @points(n)")


def lesson_id(item: pytest.Item | pytest.FixtureRequest) -> str:
    return item.module.__name__.rpartition(".")[2].removeprefix("test_")


def lesson_file(config: pytest.Config, lesson: str) -> tuple[Path, str]:
    """The file that implements ``lesson`` in the implementation under test, as
    ``(folder, name)``: the folder is the teacher's and is followed, every
    component of ``name`` is checked before the file is read (grader.submission)."""
    named = config.getoption("submission")
    if named is None:
        return ROOT, f"{config.getoption('impl')}/{lesson}.py"
    folder, name = submission.split(Path(named))
    return (folder, f"{name}/{lesson}.py") if Path(named).is_dir() else (folder, name)


def lesson_source(config: pytest.Config, lesson: str) -> tuple[Path, bytes, str | None]:
    """The lesson file's path, its bytes (read once, here) and why it cannot be
    graded (None when it can): missing, a link, not a regular file, too large."""
    folder, name = lesson_file(config, lesson)
    path = folder / name
    if path.stem != lesson:  # a single file submitted for another lesson
        return path, b"", f"{lesson}.py is missing from {path}"
    try:
        return path, submission.read(folder, name, config.getoption("max_file_size")), None
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
    worker = WorkerProcess(WorkerConfig(
        lesson=lesson,
        path=path,
        source=source,
        data_root=root,
        offline=offline,
        data_files=tuple(data_files),
        call_timeout=config.getoption("call_timeout"),
        memory_limit=memory_limit(config),
    ))
    capture = config.pluginmanager.getplugin("capturemanager")
    with capture.global_and_fixture_disabled():  # pytest captures stderr while checks run: look past it
        on_terminal = sys.stderr.isatty()
    if on_terminal:  # show training progress on one rewritten line
        worker.on_training_line = lambda text: show_progress(capture, lesson, text)
    worker.load_error = refused  # every check of the lesson fails with this sentence
    yield Student(worker)
    worker.dispose()


def show_progress(capture, lesson: str, text: str | None) -> None:  # noqa: ANN001 - pytest's CaptureManager
    """``  training l10_softmax: epoch 3/8, loss 0.2871`` on one terminal line; None clears it."""
    with capture.global_and_fixture_disabled():
        sys.stderr.write("\r\033[K" + (f"  training {lesson}: {text}" if text else ""))
        sys.stderr.flush()


def memory_limit(config: pytest.Config) -> int | None:
    """The option, else 16 GiB on the CPU; no limit by default with CUDA,
    whose driver reserves far more address space than it uses."""
    chosen = config.getoption("memory_limit")
    if chosen is not None:
        return chosen or None
    return None if torch.cuda.is_available() else DEFAULT_MEMORY


def data_options(config: pytest.Config) -> tuple[Path, bool]:
    """The dataset root and whether downloads are off, from the options and the environment."""
    return data.data_root(config.getoption("data_dir")), config.getoption("offline") or data.is_offline()


def _dataset(request: pytest.FixtureRequest, name: str) -> data.ImageSet:
    try:
        return data.load_images(name, *data_options(request.config))
    except data.DatasetMissing as exc:
        pytest.skip(f"{NOT_GRADED}: {exc}")


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
            pytest.skip(f"{NOT_GRADED}: {exc}")

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
        pytest.skip(f"{NOT_GRADED}: needs CUDA")


MESSAGE_LINES, LINE_WIDTH = 3, 200  # a failure is summarised, never a dump of a long tensor


def failure_message(excinfo: pytest.ExceptionInfo) -> str:
    """At most three short lines for the score table: the reason and the hint."""
    exc = excinfo.value
    if isinstance(exc, (StudentError, GraderFault, pytest.skip.Exception)):
        text = exc.msg if isinstance(exc, pytest.skip.Exception) else str(exc)
    elif isinstance(exc, AssertionError):
        text = str(exc).strip()
        if not text.startswith("assert "):  # a custom message: drop pytest's "assert ..." introspection after it
            text = text.partition("\nassert ")[0]
    else:
        text = f"{type(exc).__name__}: {str(exc).strip()}"
    lines = text.strip().splitlines()[:MESSAGE_LINES]
    return "\n".join(line if len(line) <= LINE_WIDTH else line[:LINE_WIDTH - 3] + "..." for line in lines)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    if call.when != "call" and report.passed:
        return  # only the call, or a setup/teardown that went wrong, is a check's result
    message = failure_message(call.excinfo) if call.excinfo else ""
    if report.skipped and item.config.getoption("strict_grading") and message.startswith(NOT_GRADED):
        report.outcome = "failed"  # CI: a check that could not run is a failure
    student = item.funcargs.get("student")
    output = student.take_output() if isinstance(student, Student) else ""
    _neutralise_longrepr(report)
    report.user_properties += [
        ("lesson", lesson_id(item)),
        ("points", item.get_closest_marker("points").args[0]),
        ("message", message),
        ("output", output),
        ("detail", check.take_notes() if call.when == "call" else ""),
        ("grader_fault", bool(call.excinfo and call.excinfo.errisinstance(GraderFault))),  # status "error"
    ]


def _neutralise_longrepr(report: pytest.TestReport) -> None:
    """pytest's own account of a failure (printed by ``practice grade -v``) quotes
    the student's error messages: it is shown as clean text. The message and output
    recorded above are cleaned where they become a ``CheckResult``."""
    if isinstance(report.longrepr, tuple):  # a skip: (path, line, reason)
        path, line, reason = report.longrepr
        report.longrepr = (path, line, text.clean(reason))
    elif report.longrepr is not None:
        report.longrepr = text.clean(str(report.longrepr))
    report.sections = [(title, text.clean(content)) for title, content in report.sections]
