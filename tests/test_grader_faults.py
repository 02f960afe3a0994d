"""A fault in grader code is the grader's: the check shows "grader error"
naming the place in the grader, and `practice grade` exits 3. A fault in the
student's code, even when a driver runs it, stays a failed check (exit 1).

The planted faults live in a copy of the grader (a driver that raises, a suite
that names another lesson's driver): the real `python -m grader grade` runs
from that copy, nothing in the repository is changed. l07 trains nothing: fast.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import DATA, ROOT, grade, submission

from grader.sandbox.errors import GraderFault
from grader.sandbox.host import WorkerConfig, WorkerProcess
from grader.sandbox.proxies import ask

LESSON = "l07_linear_regression"
CHECK = "test_fit_linear_model_takes_sgd_steps_on_the_summed_squared_error"  # runs driver.fit_steps


def grader_copy(tmp_path: Path) -> Path:
    """A checkout with its own grader/ and solutions/ (the suites run from there)."""
    root = tmp_path / "checkout"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for folder in ("grader", "solutions", "exercises"):
        shutil.copytree(ROOT / folder, root / folder, ignore=ignore)
    return root


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert text.count(old) == 1, f"{old!r} is not once in {path}"
    path.write_text(text.replace(old, new))


def test_a_driver_that_raises_is_a_grader_error_that_names_the_place(tmp_path):
    root = grader_copy(tmp_path)
    driver = root / "grader" / "drivers" / f"{LESSON}.py"
    edit(driver, "    model = nn.Linear(1, 1)\n", "    model = nn.Linear(1, 1)\n    {}['x']  # a bug in the driver\n")
    line = driver.read_text().splitlines().index("    {}['x']  # a bug in the driver") + 1
    graded = grade("--solutions", LESSON, "-k", CHECK, tmp_path=tmp_path, cwd=root)
    assert graded.code == 3, graded.stderr
    check = graded.checks()[CHECK]
    assert check["status"] == "error"
    assert check["message"].startswith(f"grader error in grader/drivers/{LESSON}.py:{line} (fit_steps): KeyError")
    assert "grader error" in graded.stdout


def test_a_suite_that_names_another_lessons_driver_is_a_grader_error(tmp_path):
    root = grader_copy(tmp_path)
    suite = root / "grader" / "suites" / f"test_{LESSON}.py"
    # every driver.fit_steps of the suite becomes l08's function of that name
    edit(
        suite,
        "from grader.drivers import l07_linear_regression as driver\n",
        "from grader.drivers import l08_logistic_regression as driver\n",
    )
    graded = grade("--solutions", LESSON, "-k", CHECK, tmp_path=tmp_path, cwd=root)
    assert graded.code == 3, graded.stderr
    check = graded.checks()[CHECK]
    assert check["status"] == "error" and "is not a driver of l07_linear_regression" in check["message"]


def test_a_driver_name_the_worker_does_not_know_is_a_grader_fault():
    worker = WorkerProcess(
        WorkerConfig(lesson=LESSON, path=ROOT / "solutions" / f"{LESSON}.py", data_root=DATA, call_timeout=60)
    )
    try:
        with pytest.raises(GraderFault, match="grader error: DriverMissing: no driver named 'no_such_driver'"):
            ask(worker, {"op": "driver", "name": "no_such_driver", "kwargs": {}}, None, "no_such_driver()")
    finally:
        worker.dispose()


@pytest.mark.parametrize(
    "broken",
    [
        # raises inside the student's file, called by the driver
        "def fit_linear_model(x, y, epochs=1000, lr=0.01, model=None):\n    raise ValueError('broken')\n",
        # returns nothing: the driver's use of the result breaks in the driver's own frame (students_turn)
        "def fit_linear_model(x, y, epochs=1000, lr=0.01, model=None):\n    return None\n",
    ],
)
def test_a_broken_student_function_run_by_a_driver_fails_the_check(tmp_path, broken):
    folder = submission(tmp_path, LESSON, broken)
    check = "test_fit_linear_model_predicts_8_for_x_4_on_the_seed_data"  # driver.fit_and_predict uses the model
    graded = grade("--submission", str(folder), LESSON, "-k", f"{CHECK} or {check}", tmp_path=tmp_path)
    assert graded.code == 1, graded.stderr
    assert {c["status"] for c in graded.checks().values()} == {"failed"}, graded.checks()
    assert "grader error" not in graded.stdout


def raised(code: str, filename: str, call: str, **names) -> BaseException:
    """The exception ``call`` raises after ``code`` ran as if it were the file ``filename``."""
    scope = dict(names)
    exec(compile(code, filename, "exec"), scope)  # noqa: S102 - the test's own code, named as a file
    try:
        eval(call, scope)  # noqa: S307
    except BaseException as exc:  # noqa: BLE001
        return exc
    raise AssertionError(f"{call} did not raise")


LESSON_CODE = "def broken():\n    raise ValueError('mine')\n\ndef fine():\n    return None\n"


def test_the_innermost_student_or_grader_frame_takes_the_blame(tmp_path):
    from grader.drivers.common import students_turn
    from grader.forbid import ForbiddenCall
    from grader.sandbox.worker import describe_error

    grader_dir, student_file = str(tmp_path / "grader"), str(tmp_path / "lesson" / "l99_demo.py")
    driver = str(tmp_path / "grader" / "drivers" / "l99_demo.py")
    lesson = {}
    exec(compile(LESSON_CODE, student_file, "exec"), lesson)  # noqa: S102 - as if it were the student's file

    def blame(exc: BaseException) -> tuple[str, str]:
        error = describe_error(exc, student_file, grader_dir)
        return error["blame"], error["where"]

    code = (
        "def bug(lesson):\n    return {}['x']\n"
        "def runs(lesson):\n    return lesson['broken']()\n"
        "def uses(lesson):\n    with turn():\n        return lesson['fine']().shape\n"
        "def unmarked(lesson):\n    return lesson['fine']().shape\n"
    )
    assert blame(raised(code, driver, "bug(lesson)", lesson=lesson)) == ("grader", "grader/drivers/l99_demo.py:2 (bug)")
    assert blame(raised(code, driver, "runs(lesson)", lesson=lesson)) == ("student", "l99_demo.py:2")
    assert blame(raised(code, driver, "uses(lesson)", lesson=lesson, turn=students_turn))[0] == "student"
    assert blame(raised(code, driver, "unmarked(lesson)", lesson=lesson))[0] == "grader"
    assert blame(ForbiddenCall("torch.softmax is off limits"))[0] == "student"
    assert blame(MemoryError())[0] == "student"
