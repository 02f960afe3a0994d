"""Hostile or broken student code cannot change its score or stop grading.

Each case is a submission folder: the reference solution with some functions
replaced. Grading must finish, the replaced functions' checks must fail with
a one-line reason, and every other check must pass: the score is exactly
what the honest part deserves. Several cases share one grading run (one per
kind of attack) to keep the suite fast; each case is still its own test.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from conftest import ROOT, grade, sandbox_processes, submission

pytestmark = pytest.mark.slow
FAST = "not training"  # -m: the function checks; training is covered elsewhere
L10 = "l10_softmax"
CHECKS = {  # l10's fast checks, by the function they call
    "softmax": {
        "test_softmax_matches_torch_along_any_dim",
        "test_softmax_rows_are_positive_and_sum_to_one",
        "test_softmax_is_unchanged_by_adding_a_constant_to_a_row",
        "test_softmax_stays_finite_for_huge_logits",
    },
    "logsumexp": {
        "test_logsumexp_matches_torch_along_any_dim",
        "test_logsumexp_stays_finite_for_huge_and_very_negative_logits",
    },
    "log_softmax": {"test_log_softmax_matches_torch_even_for_huge_logits"},
    "cross_entropy": {
        "test_cross_entropy_matches_torch_mean_over_the_batch",
        "test_cross_entropy_of_zero_logits_over_10_classes_is_ln_10",
        "test_cross_entropy_stays_finite_for_huge_logits",
        "test_cross_entropy_gradient_is_softmax_minus_one_hot_over_n",
    },
    "accuracy": {"test_accuracy_compares_the_argmax_of_each_row_with_the_label"},
    "Net": {"test_net_has_the_784_512_256_128_64_10_layers", "test_net_maps_images_to_10_logits_per_image"},
    "train_epoch": {
        "test_train_epoch_zeroes_gradients_and_steps_once_per_batch",
        "test_train_epoch_returns_the_mean_loss",
    },
    "evaluate": {"test_evaluate_counts_every_sample"},
}
HONEST = "_honest = dict(globals())  # the reference functions, before they are replaced\n"


def checks_of(*functions: str) -> set[str]:
    return set().union(*(CHECKS[f] for f in functions))


def graded_l10(tmp_path_factory, code: str, *args: str, base: str = "solutions"):
    tmp_path = tmp_path_factory.mktemp("submission")
    folder = submission(tmp_path, L10, code, base=base)
    return grade(L10, "--submission", str(folder), "-m", FAST, *args, tmp_path=tmp_path)


def message(graded, function: str) -> str:
    """The failure message of ``function``'s first check."""
    return graded.checks()[min(CHECKS[function])]["message"]


def assert_exact_score(graded, failing: set[str]) -> None:
    """Exactly ``failing`` failed; the score is the sum of the other checks."""
    assert graded.failed() == failing, graded.stdout
    checks = graded.checks()
    assert graded.report["score"] == sum(c["points"] for name, c in checks.items() if name not in failing)


# -- 1 and 2: loops, exits and crashes ------------------------------------------
CRASHES = (
    HONEST
    + """
import ctypes, os, signal, sys


def softmax(X, dim=-1):
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a loop that ignores polite signals
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    while True:
        pass


def logsumexp(X, dim=-1):
    sys.exit(0)


def log_softmax(X, dim=-1):
    raise KeyboardInterrupt


def cross_entropy(logits, y):
    ctypes.string_at(0)  # segfault


def accuracy(logits, y):
    os.abort()


class Net(nn.Module):
    def __init__(self):
        raise SystemExit


def train_epoch(model, batches, optimizer):
    os._exit(0)
"""
)


@pytest.fixture(scope="module")
def crashes(tmp_path_factory):
    return graded_l10(tmp_path_factory, CRASHES, "--timeout", "3")


def test_crashing_functions_fail_only_their_checks_and_grading_finishes(crashes):
    assert_exact_score(
        crashes, checks_of("softmax", "logsumexp", "log_softmax", "cross_entropy", "accuracy", "Net", "train_epoch")
    )
    assert crashes.code == 1


def test_a_loop_that_ignores_sigterm_is_killed_at_the_time_limit_which_is_named(crashes):
    assert message(crashes, "softmax").startswith(
        "timed out: used 3 s of CPU time during softmax() (the time limit per call"
    )
    assert "--timeout" in message(crashes, "softmax")


@pytest.mark.parametrize(
    "function, expected",
    [
        ("logsumexp", "SystemExit"),
        ("log_softmax", "KeyboardInterrupt"),
        ("Net", "SystemExit"),
        ("cross_entropy", "worker died: signal 11 (SIGSEGV) during cross_entropy()"),
        ("accuracy", "worker died: signal 6 (SIGABRT) during accuracy()"),
        ("train_epoch", "worker exited with status 0 during train_epoch_on_linear()"),
    ],
)
def test_exits_interrupts_and_crashes_are_named_in_one_line(crashes, function, expected):
    assert expected in message(crashes, function)
    assert "\n" not in message(crashes, function)


def test_an_infinite_loop_at_import_fails_that_lesson_only(tmp_path):
    folder = submission(
        tmp_path, L10, "import signal\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\nwhile True:\n    pass\n"
    )
    submission(tmp_path, "l13_cnn_advanced", "")
    graded = grade("l10", "l13", "--submission", str(folder), "-m", FAST, "--timeout", "3", tmp_path=tmp_path)
    assert graded.lesson(L10)["score"] == 0
    assert all(
        c["message"].startswith("timed out: used 3 s of CPU time during import of l10_softmax.py")
        for c in graded.lesson(L10)["checks"]
    )
    l13 = graded.lesson("l13_cnn_advanced")
    assert l13["score"] == l13["max_score"] > 0


# -- 3, 4 and 5: memory, processes, output ---------------------------------------
RESOURCES = (
    HONEST
    + """
import os, subprocess, threading, time


def _spin():
    while True:
        pass


def softmax(X, dim=-1):
    return torch.empty(100_000_000_000, dtype=torch.uint8)  # 100 GB at once


def accuracy(logits, y):
    chunks = []
    while True:  # slow growth
        chunks.append(bytearray(64 << 20))


def log_softmax(X, dim=-1):
    for _ in range(100):
        print("x" * 1_000_000)  # 100 MB of output
    print("the last line")
    return _honest["log_softmax"](X, dim)


def cross_entropy(logits, y):
    subprocess.Popen(["sleep", "1013"])  # outlives the call
    subprocess.Popen(["setsid", "sleep", "1013"], env={})  # leaves the process group and the marker
    threading.Thread(target=_spin, daemon=True).start()  # busy forever
    if os.fork() == 0:  # a child that escapes: new session, then loops
        os.setsid()
        while True:
            time.sleep(0.1)
    return _honest["cross_entropy"](logits, y)
"""
)


@pytest.fixture(scope="module")
def resources(tmp_path_factory):
    return graded_l10(tmp_path_factory, RESOURCES, "--memory", "6G")


def test_memory_hogs_fail_their_checks_and_the_rest_is_graded(resources):
    assert_exact_score(resources, checks_of("softmax", "accuracy"))


def test_a_100_gb_allocation_fails_with_the_memory_limit_named(resources):
    assert "can't allocate memory" in message(resources, "softmax")
    assert "memory limit is 6 GiB" in message(resources, "softmax")


def test_slow_memory_growth_stops_at_the_limit(resources):
    assert message(resources, "accuracy").startswith("MemoryError at l10_softmax.py:")
    assert "memory limit is 6 GiB" in message(resources, "accuracy")


def test_100_mb_of_output_is_kept_as_a_short_excerpt_of_head_and_tail(resources):
    output = resources.checks()[min(CHECKS["log_softmax"])]["output"]
    assert output.startswith("xxxx") and output.rstrip().endswith("the last line")
    assert "cut" in output and len(output) < 10_000


def test_nothing_the_submission_started_survives_grading(resources):
    time.sleep(0.5)  # let the kernel finish delivering the kills
    assert sandbox_processes() == []


# -- 6: tampering inside the worker ------------------------------------------------
TAMPERING = (
    HONEST
    + """
import builtins, torch, torch.testing
import _pytest.runner, pytest

torch.allclose = lambda *a, **k: True
torch.isclose = lambda a, b, **k: torch.ones_like(a, dtype=torch.bool)
torch.testing.assert_close = lambda *a, **k: None
torch.Tensor.__eq__ = lambda self, other: torch.ones((), dtype=torch.bool)
builtins.isinstance = lambda obj, cls: True
pytest.approx = lambda *a, **k: True
_pytest.runner.pytest_runtest_makereport = lambda item, call: None


class AlwaysEqual(torch.Tensor):
    def __eq__(self, other):
        return True

    def allclose(self, *a, **k):
        return True


def softmax(X, dim=-1):
    return torch.zeros_like(X).as_subclass(AlwaysEqual)  # wrong values in a tensor subclass


class Equal:
    def __eq__(self, other):
        return True

    def __float__(self):
        return 1.0


def accuracy(logits, y):
    return Equal()  # not plain data


def log_softmax(X, dim=-1):
    if X.requires_grad:  # autograd refuses in-place changes of a leaf
        return _honest["log_softmax"](X, dim)
    X -= _honest["logsumexp"](X, dim).unsqueeze(dim)  # right values, in the input's memory
    return X
"""
)


def test_tampering_in_the_worker_changes_no_verdict(tmp_path_factory):
    graded = graded_l10(tmp_path_factory, TAMPERING)
    # every softmax check compares with known values (issue 21: even the shift-invariance one), so all fail
    assert_exact_score(graded, checks_of("softmax", "accuracy"))
    # the tampering object is not a number: the check says so (issue 21), never by the grader's own TypeError
    assert "accuracy should return the fraction of correct rows as a float" in message(graded, "accuracy")


# -- 7: reaching for answers ------------------------------------------------------
READING = """
import importlib, importlib.util, os, pathlib


def _try(action):
    try:
        return repr(action())[:80]
    except Exception as exc:
        return type(exc).__name__


def accuracy(logits, y):
    here = pathlib.Path(__file__).resolve()
    print("import solutions:", _try(lambda: importlib.import_module("solutions.l10_softmax")))
    print("import grader:", _try(lambda: __import__("grader.suites")))
    print("by spec:", _try(lambda: importlib.util.spec_from_file_location("s", "{root}/solutions/l10_softmax.py")
                              .loader.load_module()))
    print("by path:", _try(lambda: open("{root}/solutions/l10_softmax.py").read()))
    print("suite:", _try(lambda: open("{root}/grader/suites/test_l10_softmax.py").read()))
    print("relative:", _try(lambda: open("../solutions/l10_softmax.py").read()))
    print("next to me:", _try(lambda: open(here.parent.parent / "solutions" / "l10_softmax.py").read()))
    print("cwd:", os.getcwd(), "file:", here)
    return 0.0
"""


def test_solutions_and_suites_are_out_of_reach(tmp_path_factory):
    graded = graded_l10(tmp_path_factory, READING.replace("{root}", str(ROOT)), base="exercises")
    output = graded.checks()[min(CHECKS["accuracy"])]["output"]
    assert "import solutions: ImportError" in output and "import grader: ImportError" in output
    for attempt in ("by spec", "by path", "suite", "relative", "next to me"):
        line = next(line for line in output.splitlines() if line.startswith(attempt + ":"))
        assert line.split(": ", 1)[1] in ("PermissionError", "FileNotFoundError"), line
    assert str(ROOT) not in output.partition("cwd:")[2], "the worker can tell where the repository is"
    assert graded.report["score"] == 0


# -- 8: forging results -------------------------------------------------------------
FORGING = (
    HONEST
    + """
import json, os, pathlib, tempfile

FORGED = {"score": 999, "tests": [], "lessons": [], "passed": True}


def accuracy(logits, y):
    for folder in (".", os.path.expanduser("~"), "/tmp", tempfile.gettempdir()):
        for name in ("results.json", "report.json", "junit.xml", ".pytest_cache/v/cache/lastfailed"):
            try:
                path = pathlib.Path(folder, name)
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(json.dumps(FORGED))
                print("wrote", path)
            except OSError as exc:
                print("refused", folder, name, type(exc).__name__)
    print("test_accuracy_compares_the_argmax_of_each_row_with_the_label PASSED")
    print("============ 30 passed in 0.12s ============")
    return 0.0
"""
)


def test_forged_result_files_and_printed_summaries_are_not_results(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    folder = submission(tmp_path, L10, FORGING)
    graded = grade(
        L10,
        "--submission",
        str(folder),
        "-m",
        FAST,
        "--gradescope",
        str(tmp_path / "results.json"),
        tmp_path=tmp_path,
        env={"HOME": str(home)},
    )
    assert_exact_score(graded, CHECKS["accuracy"])
    output = graded.checks()[min(CHECKS["accuracy"])]["output"]
    assert "30 passed" in output  # shown to the student as their output, nothing more
    forged = [
        p
        for folder in (home, Path("/tmp"))
        for name in ("results.json", "report.json", "junit.xml")
        for p in [folder / name]
        if p.exists() and "999" in p.read_text()
    ]
    assert forged == [], "the sandbox could write outside its own folders"
    assert '"score": 999' not in (tmp_path / "results.json").read_text()


# -- 9: global state ------------------------------------------------------------------
GLOBAL_STATE = """
import sys, warnings

torch.set_default_dtype(torch.float64)
torch.set_num_threads(1)
torch.manual_seed(123)
torch.set_grad_enabled(False)
warnings.filterwarnings("error")
sys.path.insert(0, "/nowhere")
_honest_accuracy = accuracy


def accuracy(logits, y):
    torch.set_default_dtype(torch.float16)  # changed again inside a call
    torch.use_deterministic_algorithms(True)
    return _honest_accuracy(logits, y)
"""


def test_global_state_changed_by_the_submission_does_not_leak_into_later_checks(tmp_path_factory):
    graded = graded_l10(tmp_path_factory, GLOBAL_STATE)
    assert_exact_score(graded, set())


# -- 10: broken files -------------------------------------------------------------------
@pytest.mark.parametrize(
    "content, expected",
    [
        ("def softmax(X, dim=-1):\n  return X\n    x = 1\n", "IndentationError at l10_softmax.py:3"),
        ("import torch\nx = undefined_name + 1\n", "NameError at l10_softmax.py:2"),
        (b"\x7fELF\x02\x01\x01\x00\x00\x00\xff\xfe", "SyntaxError during import of l10_softmax.py: source code"),
    ],
)
def test_a_broken_file_scores_that_lesson_zero_and_says_where(tmp_path, content, expected):
    folder = tmp_path / "submission"
    folder.mkdir()
    lesson = folder / f"{L10}.py"
    lesson.write_bytes(content) if isinstance(content, bytes) else lesson.write_text(content)
    submission(tmp_path, "l13_cnn_advanced", "")
    graded = grade("l10", "l13", "--submission", str(folder), "-m", FAST, tmp_path=tmp_path)
    assert graded.lesson(L10)["score"] == 0
    messages = {c["message"] for c in graded.lesson(L10)["checks"]}
    assert len(messages) == 1 and expected in messages.pop()
    l13 = graded.lesson("l13_cnn_advanced")
    assert l13["score"] == l13["max_score"] > 0


def test_an_empty_file_names_each_missing_function(tmp_path):
    folder = tmp_path / "submission"
    folder.mkdir()
    (folder / f"{L10}.py").write_text("")
    graded = grade(L10, "--submission", str(folder), "-m", FAST, tmp_path=tmp_path)
    assert graded.report["score"] == 0
    assert "softmax is missing from the lesson file" in message(graded, "softmax")
    assert "Net is missing from the lesson file" in message(graded, "Net")


def test_a_missing_function_or_a_wrong_signature_fails_only_its_checks(tmp_path_factory):
    code = "del logsumexp\n\n\ndef accuracy(logits):\n    return 1.0\n"
    graded = graded_l10(tmp_path_factory, code)
    # log_softmax and cross_entropy call logsumexp, so they fail with it
    assert_exact_score(graded, checks_of("logsumexp", "log_softmax", "cross_entropy", "accuracy"))
    assert "logsumexp is missing from the lesson file" in message(graded, "logsumexp")
    assert "NameError" in message(graded, "log_softmax") and "logsumexp" in message(graded, "log_softmax")
    assert "TypeError" in message(graded, "accuracy") and "positional argument" in message(graded, "accuracy")


# -- 11: slow but honest -------------------------------------------------------------------
SLOW = '''
def softmax(X, dim=-1):
    """Correct, one element at a time in Python: hundreds of times slower than the reference."""
    moved = X.movedim(dim, -1)
    rows = moved.reshape(-1, moved.shape[-1])
    out = torch.empty_like(rows)
    for i in range(rows.shape[0]):
        m = max(float(v) for v in rows[i])
        exps = [math.exp(float(v) - m) for v in rows[i]]
        total = sum(exps)
        for j, e in enumerate(exps):
            out[i, j] = e / total
    return out.reshape(moved.shape).movedim(-1, dim)
'''


def test_slow_but_correct_code_passes_within_the_default_limit(tmp_path_factory):
    graded = graded_l10(tmp_path_factory, "import math\n" + SLOW)
    assert_exact_score(graded, set())


# -- determinism ---------------------------------------------------------------------------
def test_grading_the_same_submission_twice_gives_identical_results(tmp_path_factory):
    code = "def softmax(X, dim=-1):\n    return X.exp() / X.exp().sum(dim=dim, keepdim=True)\n"
    first, second = (graded_l10(tmp_path_factory, code) for _ in range(2))
    strip = lambda g: {n: (c["status"], c["message"], c["points"]) for n, c in g.checks().items()}  # noqa: E731
    assert strip(first) == strip(second)
    assert first.failed() == {"test_softmax_stays_finite_for_huge_logits"}
