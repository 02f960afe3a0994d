"""The `practice` command's behaviour on good and bad input."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, practice


def test_an_unknown_lesson_suggests_the_closest():
    done = practice("grade", "l10_sofmax")
    assert done.returncode == 2
    assert "unknown lesson 'l10_sofmax'; did you mean l10_softmax?" in done.stderr


def test_a_missing_submission_path_is_one_clear_error(tmp_path):
    done = practice("grade", "--submission", str(tmp_path / "nope"))
    assert done.returncode == 2
    assert f"submission path {tmp_path / 'nope'} does not exist" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_single_file_must_be_named_after_its_lesson(tmp_path):
    (tmp_path / "homework.py").write_text("")
    done = practice("grade", "--submission", str(tmp_path / "homework.py"))
    assert done.returncode == 2 and "cannot tell which lesson homework.py is" in done.stderr


def test_solutions_and_submission_exclude_each_other(tmp_path):
    done = practice("grade", "--solutions", "--submission", str(tmp_path))
    assert done.returncode == 2 and "exclude each other" in done.stderr


def test_build_check_passes_on_a_clean_tree():
    done = practice("build", "--check")
    assert done.returncode == 0, done.stderr


@pytest.mark.slow
def test_a_single_lesson_file_is_graded_as_that_lesson(tmp_path, grade_cli):
    file = tmp_path / "l10_softmax.py"
    file.write_text((ROOT / "solutions" / "l10_softmax.py").read_text())
    graded = grade_cli("--submission", str(file), "-k", "softmax_rows")
    assert graded.code == 0
    assert [le["lesson"] for le in graded.report["lessons"]] == ["l10_softmax"]
    assert graded.report["score"] == graded.report["max_score"] == 1


@pytest.mark.slow
def test_a_lesson_missing_from_a_submission_folder_scores_zero(tmp_path, grade_cli):
    graded = grade_cli("l13", "--submission", str(tmp_path), "-k", "conv_cost")
    assert graded.code == 1
    assert (
        graded.checks()["test_conv_cost_counts_multiply_accumulates"]["message"]
        == f"l13_cnn_advanced.py is missing from {tmp_path}"
    )


def test_a_selection_that_matches_no_check_says_so():
    done = practice("grade", "l10", "-k", "no_such_check")
    assert done.returncode == 2 and "no check matched -k 'no_such_check'" in done.stderr


@pytest.mark.parametrize(
    "value, expected", [("16G", 16 << 30), ("512M", 512 << 20), ("2.5GiB", int(2.5 * (1 << 30))), ("none", 0)]
)
def test_memory_sizes_are_read_like_a_person_writes_them(value, expected):
    from grader.cli import MemorySize

    assert MemorySize().convert(value, None, None) == expected


def test_a_bad_memory_size_is_bad_input():
    done = practice("grade", "l10", "--memory", "lots")
    assert done.returncode == 2 and "'lots' is not a memory size like 16G" in done.stderr


class CollectedChecks:
    """A pytest plugin that keeps the names of the checks left after selection."""

    names: list[str] = []

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self.names = [item.name for item in session.items]


def selected_checks(lesson: str, select: str) -> list[str]:
    """The checks `practice grade LESSON -k SELECT` grades: collected, not run (no worker starts)."""
    from grader import grading
    from grader.lessons import find

    collected = CollectedChecks()
    args = grading.pytest_args([find(lesson)], grading.Options(select=select))
    code = pytest.main([*args, "--collect-only"], plugins=[collected, grading.Options(select=select)])
    assert code in (pytest.ExitCode.OK, pytest.ExitCode.NO_TESTS_COLLECTED)
    return collected.names


def test_k_selects_checks_by_their_own_names_not_by_the_module_name():
    from grader.lessons import find

    softmax = selected_checks("l10", "softmax")
    assert softmax and all("softmax" in name for name in softmax)  # not every check of test_l10_softmax.py
    assert "test_net_reaches_97_percent_test_accuracy_on_mnist" not in softmax
    classifier = selected_checks("l15", "classifier")
    assert classifier and all("classifier" in name for name in classifier)
    assert len(classifier) < len(selected_checks("l15", "test"))  # every check's name starts with test
    assert selected_checks("l15", find("l15").id) == []  # the lesson is chosen by LESSONS, not by -k
    assert selected_checks("l10", "softmax and not training") == softmax
    assert selected_checks("l10", "SOFTMAX and not log") == [name for name in softmax if "log" not in name]
    assert selected_checks("l10", "training") == ["test_net_reaches_97_percent_test_accuracy_on_mnist"]


def test_a_malformed_selection_is_bad_input():
    done = practice("grade", "l10", "-k", "softmax and (")
    assert done.returncode == 2
    assert "-k 'softmax and (' is not a valid expression" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="needs /dev/null")
def test_a_fifo_or_a_device_named_as_the_submission_is_called_what_it_is(tmp_path, grade_cli):
    os.mkfifo(tmp_path / "homework")
    for path, sentence in [
        (tmp_path / "homework", "homework is a named pipe (FIFO), not a regular file"),
        (Path("/dev/null"), "null is a device, not a regular file"),
    ]:
        graded = grade_cli("l04", "--submission", str(path), "-k", "forward_multiplies")
        assert graded.code == 1, graded.stderr
        (check,) = graded.checks().values()
        assert check["message"].startswith(sentence) and "missing" not in check["message"]
    (tmp_path / "l05_gradient_descent.py").write_text("")
    graded = grade_cli("l04", "--submission", str(tmp_path / "l05_gradient_descent.py"), "-k", "forward_multiplies")
    (check,) = graded.checks().values()
    assert check["message"] == "l05_gradient_descent.py is not l04_linear_model.py: " + (
        "a single submitted file is graded as the lesson it is named after"
    )


@pytest.mark.slow
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_watch_stopped_by_a_signal_removes_its_folders(tmp_path, stop):
    """Stopped while it grades: the watch folder goes, and so do the grading run's sandboxes."""
    watch = subprocess.Popen(
        [sys.executable, "-m", "grader", "watch", "l04_linear_model"],
        cwd=ROOT,
        stdin=subprocess.PIPE,  # kept open: watch waits for keys
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "TMPDIR": str(tmp_path)},  # its folders, and its grading run's, land here
    )
    try:
        deadline = time.monotonic() + 60
        while not list(tmp_path.glob("torch-practice-[!w]*")):  # a sandbox: grading has begun
            assert time.monotonic() < deadline and watch.poll() is None, "watch never started grading"
            time.sleep(0.05)
        assert list(tmp_path.glob("torch-practice-watch-*"))
        watch.send_signal(stop)
        watch.wait(60)
    finally:
        watch.kill()
        watch.wait()
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def fake_checkout(folder: Path) -> Path:
    """A folder with a course checkout's markers: the torch-practice project, grader/ and exercises/."""
    (folder / "grader").mkdir(parents=True)
    (folder / "exercises").mkdir()
    (folder / "pyproject.toml").write_text('[project]\nname = "torch-practice"\nversion = "0.1.0"\n')
    return folder


def test_practice_refuses_to_grade_another_checkout_than_the_one_it_is_in(tmp_path):
    """Issue 17 item 9: `practice next` in a second clone printed the first clone's lesson file without a word."""
    clone = fake_checkout(tmp_path / "second clone")
    inside = {"PYTHONPATH": str(ROOT)}  # this checkout's grader, as a venv installed from it would run
    done = practice("next", cwd=clone / "exercises", env=inside)
    assert done.returncode == 2 and done.stdout == ""
    assert f"you are in the course checkout {clone}, but this `practice` grades {ROOT}" in done.stderr
    assert "make install" in done.stderr and "python -m grader" in done.stderr
    # its own checkout, from any folder in it, and a folder in no checkout are graded as before
    assert practice("list", cwd=ROOT / "exercises", env=inside).returncode == 0
    (tmp_path / "notes").mkdir()
    assert practice("list", cwd=tmp_path / "notes", env=inside).returncode == 0
    # a folder that only looks like one (no torch-practice project) is not a checkout
    (clone / "pyproject.toml").write_text('[project]\nname = "other-course"\n')
    assert practice("list", cwd=clone / "exercises", env=inside).returncode == 0


@pytest.mark.skipif(shutil.which("make") is None, reason="no make here")
def test_make_install_shows_pips_progress_and_can_take_torch_from_another_index():
    """Issue 17 item 12: `make install` ran pip --quiet, silent for minutes while it downloaded ~5 GB."""
    plain = subprocess.run(["make", "-n", "-B", "install"], cwd=ROOT, capture_output=True, text=True, check=True)
    pips = [line for line in plain.stdout.splitlines() if "pip install" in line]
    assert pips == [".venv/bin/python -m pip install -c constraints.txt -e '.[test]'"]  # no --quiet
    cpu = "https://download.pytorch.org/whl/cpu"
    chosen = subprocess.run(
        ["make", "-n", "-B", "install", f"TORCH_INDEX={cpu}"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    pips = [line for line in chosen.stdout.splitlines() if "pip install" in line]
    assert pips == [  # the CPU build first, under the same pins; then the rest keeps it
        f".venv/bin/python -m pip install --index-url {cpu} -c constraints.txt torch torchvision",
        ".venv/bin/python -m pip install -c constraints.txt -e '.[test]'",
    ]


def test_the_cpu_build_of_the_pinned_torch_satisfies_the_pin():
    """`torch==2.14.1` in constraints.txt accepts 2.14.1+cpu (PEP 440 ignores the local label), so
    `make install` after the CPU build keeps it instead of fetching the CUDA one."""
    from packaging.specifiers import SpecifierSet

    pins = dict(line.split("==") for line in (ROOT / "constraints.txt").read_text().splitlines() if "==" in line)
    assert SpecifierSet(f"=={pins['torch']}").contains(f"{pins['torch']}+cpu")
    assert SpecifierSet(f"=={pins['torchvision']}").contains(f"{pins['torchvision']}+cpu")
