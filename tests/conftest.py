"""Shared helpers for the project's own tests: run `practice grade` the way a
student or CI would (a subprocess) and read back its JSON report."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from grader import catalog
from grader.lessons import find
from grader.report import Status

ROOT = Path(__file__).resolve().parent.parent
MIRROR = ROOT.parent / "shared" / "datasets"  # the offline mirror beside the checkout, when there is one
DATA = Path(os.environ.get("TORCH_PRACTICE_DATA") or (MIRROR if MIRROR.is_dir() else ROOT / "data"))


@dataclass
class Graded:
    code: int
    stdout: str
    stderr: str
    report: dict | None

    def checks(self) -> dict[str, dict]:
        """Every check by name: ``{"test_x": {"status": ..., "message": ...}}``."""
        return {c["check"]: c for lesson in self.report["lessons"] for c in lesson["checks"]}

    def failed(self) -> set[str]:
        return {name for name, c in self.checks().items() if c["status"] == Status.FAILED}

    def lesson(self, lesson_id: str) -> dict:
        return next(le for le in self.report["lessons"] if le["lesson"] == lesson_id)


def practice(
    *args: str, cwd: Path = ROOT, env: dict | None = None, timeout: float = 1200
) -> subprocess.CompletedProcess:
    """Run the `practice` CLI in a fresh interpreter."""
    return subprocess.run(
        [sys.executable, "-m", "grader", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "TORCH_PRACTICE_DATA": str(DATA), **(env or {})},
    )


def grade(*args: str, tmp_path: Path, **kwargs) -> Graded:
    """`practice grade ARGS --json FILE`, with the JSON report parsed."""
    report = tmp_path / f"report-{len(list(tmp_path.glob('report-*')))}.json"
    done = practice("grade", *args, "--json", str(report), **kwargs)
    parsed = json.loads(report.read_text()) if report.exists() else None
    return Graded(done.returncode, done.stdout, done.stderr, parsed)


def submission(tmp_path: Path, lesson: str, extra_code: str, base: str = "solutions") -> Path:
    """A submission folder whose ``lesson`` file is ``base/<lesson>.py`` with
    ``extra_code`` appended (later definitions replace earlier ones)."""
    folder = tmp_path / "submission"
    folder.mkdir(exist_ok=True)
    source = (ROOT / base / f"{lesson}.py").read_text()
    (folder / f"{lesson}.py").write_text(source + "\n\n# --- changed for this test ---\n" + extra_code)
    return folder


def training_checks(lesson: str) -> set[str]:
    """The checks of ``lesson``'s hidden suite marked ``@training`` (read from its
    source: the marker, not the check's name, says that a check trains a model)."""
    return {check.name for check in catalog.lesson_checks(find(lesson)) if check.training}


@pytest.fixture
def grade_cli(tmp_path):
    return lambda *args, **kwargs: grade(*args, tmp_path=tmp_path, **kwargs)


def _processes() -> list[tuple[str, bytes, str]]:
    """``(pid, environment, command line)`` of every process still readable in /proc."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            environ = Path(f"/proc/{pid}/environ").read_bytes()
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue  # it exited meanwhile
        found.append((pid, environ, cmdline))
    return found


def processes_using(folder: Path) -> list[str]:
    """``pid: command line`` of every process with ``folder`` in its
    environment: the workers of one grading run whose TMPDIR lies inside it,
    and anything they started. Unlike ``sandbox_processes`` it does not see
    other test runs on this machine."""
    return [f"{pid}: {cmdline}" for pid, environ, cmdline in _processes() if str(folder).encode() in environ]


def sandbox_processes() -> list[str]:
    """``pid: command line`` of every running process started inside a
    sandbox: a worker, or anything a submission launched (the tests' own
    escapees run ``sleep 1013`` without the marker)."""
    found = []
    for pid, environ, cmdline in _processes():
        if "import main; main(" in cmdline and repr(str(ROOT)) not in cmdline:  # whatever module serves there
            continue  # a worker of another checkout: another test run on this machine
        if b"TORCH_PRACTICE_SANDBOX=1" in environ or cmdline.startswith("sleep 1013"):
            found.append(f"{pid}: {cmdline}")
    return found


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Nothing a graded submission started may outlive the test run."""
    if left := sandbox_processes():
        print(f"\nprocesses left running by graded code: {left}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
