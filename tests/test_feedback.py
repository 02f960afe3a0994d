"""Feedback a beginner can act on: advice for torch's usual errors, and
failure messages that never dump a long tensor."""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from conftest import DATA, ROOT, submission

from grader.feedback import ADVICE, advice
from grader.plugin import LINE_WIDTH, failure_message
from grader.report import shorten_line


def _backward_twice():
    y = (torch.ones(2, requires_grad=True) * 2).exp().sum()
    y.backward()
    y.backward()


def _two_devices():
    from torch._subclasses.fake_tensor import FakeTensorMode  # CUDA tensors without a GPU, same message

    with FakeTensorMode():
        torch.ones(2, device="cuda") + torch.ones(2, device="cpu").expand(3, 2)


def _cuda_without_a_gpu():
    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU: asking for CUDA works here")
    torch.zeros(1, device=torch.device("cuda"))  # "Found no NVIDIA driver ...", or "not compiled with CUDA"


def _modified_inplace():
    b = torch.ones(2, requires_grad=True).sigmoid()
    b.mul_(2)
    b.sum().backward()


def _update_outside_no_grad():
    w = torch.ones(1, requires_grad=True)
    (w * 2).sum().backward()
    w = w - 0.1 * w.grad  # a new, non-leaf tensor: its .grad stays None
    w.grad.zero_()


# each pattern of the table, triggered for real in plain torch
MISTAKES = {
    "expected target dtype to be Long": lambda: F.cross_entropy(torch.randn(3, 4), torch.tensor([0.0, 1.0, 2.0])),
    r"multi-target not supported": lambda: F.cross_entropy(torch.randn(3, 4), torch.tensor([[0], [1], [2]])),
    r"Expected target size": lambda: F.cross_entropy(torch.randn(2, 5, 4), torch.zeros(2, 5, dtype=torch.long)),
    r"Expected all tensors to be on the same device": _two_devices,
    r"Found no NVIDIA driver": _cuda_without_a_gpu,
    r"mat1 and mat2 shapes cannot be multiplied": lambda: nn.Linear(5, 2)(torch.randn(3, 4)),
    r"mat1 and mat2 must have the same dtype": lambda: nn.Linear(2, 2)(torch.ones(1, 2, dtype=torch.float64)),
    r"Trying to backward through the graph a second time": _backward_twice,
    r"element 0 of tensors does not require grad": lambda: torch.ones(2).sum().backward(),
    r"a leaf Variable that requires grad": lambda: torch.ones(2, requires_grad=True).add_(1),
    r"'NoneType' object has no attribute 'zero_'": _update_outside_no_grad,
    r"one of the variables needed for gradient computation": _modified_inplace,
    r"The size of tensor a": lambda: torch.ones(3) + torch.ones(4),
    r"Expected 3D \(unbatched\) or 4D": lambda: nn.Conv2d(1, 2, 3)(torch.randn(5, 28)),
    r"channels, but got": lambda: nn.Conv2d(1, 2, 3)(torch.randn(5, 3, 28, 28)),
    r"view size is not compatible": lambda: torch.ones(3, 4).t().view(12),
    r"Expected input batch_size": lambda: F.cross_entropy(torch.randn(3, 4), torch.tensor([0, 1])),
    r"Using a target size": lambda: F.binary_cross_entropy(torch.rand(3, 1), torch.rand(3)),
    r"is out of bounds": lambda: F.cross_entropy(torch.randn(3, 4), torch.tensor([0, 1, 7])),
    r"cannot be converted to Scalar": lambda: torch.ones(3).item(),
    r"Can't call numpy\(\)": lambda: torch.ones(2, requires_grad=True).numpy(),
    r"'indices' to have one of the following scalar types": lambda: nn.Embedding(5, 2)(torch.tensor([1.0])),
    r"must be equal to input_size": lambda: nn.RNN(4, 3, batch_first=True)(torch.randn(2, 5, 6)),
}


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("pattern", list(MISTAKES))
def test_each_usual_error_gets_its_advice(pattern):
    with pytest.raises(Exception) as caught:
        MISTAKES[pattern]()
    entry = next(text for regex, text in ADVICE if pattern.split("\\")[0][:20] in regex.replace("\\", ""))
    assert advice(str(caught.value)) == entry


def test_every_advice_has_a_real_error_that_triggers_it():
    assert len(MISTAKES) == len(ADVICE)
    assert advice("some error nobody has seen") == ""


def test_every_advice_fits_on_its_hint_line():
    """The score table cuts a message's lines at LINE_WIDTH: an advice must end before that."""
    assert [text for _, text in ADVICE if len(f"hint: {text}") > LINE_WIDTH] == []


def test_a_long_tensor_in_a_failure_is_summarised():
    with pytest.raises(AssertionError) as caught:
        raise AssertionError(f"expected {torch.arange(10000.0).tolist()}\nsecond\nthird\nfourth")
    lines = failure_message(caught).splitlines()
    assert lines == [lines[0], "second", "third"]
    assert len(lines[0]) == LINE_WIDTH and lines[0].endswith("...")


@pytest.mark.slow
def test_the_score_table_shows_the_advice_under_the_error(tmp_path, grade_cli):
    folder = submission(
        tmp_path,
        "l04_linear_model",
        "def forward(x, w):\n    return torch.nn.Linear(5, 2)(x.float().reshape(len(x), -1))\n",
    )
    graded = grade_cli("--submission", str(folder), "l04", "-k", "forward")
    assert graded.code == 1
    assert "hint: a Linear layer (or @) got inputs of the wrong width" in graded.stdout
    assert "mat1 and mat2 shapes cannot be multiplied" in graded.stdout


@pytest.mark.slow
def test_a_training_check_shows_its_progress_on_a_terminal():
    main, terminal = pty.openpty()  # the grader shows progress only when stderr is a terminal
    done = subprocess.run(
        [sys.executable, "-m", "grader", "grade", "l11", "--solutions", "-k", "scratch_mlp_reaches"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=terminal,
        text=True,
        timeout=600,
        env={**os.environ, "TORCH_PRACTICE_DATA": str(DATA)},
    )
    os.close(terminal)
    shown = b""
    while select.select([main], [], [], 0)[0]:
        try:
            chunk = os.read(main, 65536)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    os.close(main)
    assert done.returncode == 0, done.stdout
    assert re.search(rb"\r\x1b\[K  training l11_mlp_regularization: epoch \d+/\d+, loss \d\.\d{4}", shown), shown
    assert re.search(
        r"scratch mlp reaches 82 percent on fashion mnist \(4 pts\): accuracy 0\.\d{4} \(needs 0\.82\)", done.stdout
    )


@pytest.mark.slow
def test_printed_warnings_name_the_lesson_file_not_the_sandbox_copy(tmp_path, grade_cli):
    folder = submission(
        tmp_path,
        "l04_linear_model",
        "import warnings\n"
        "def forward(x, w):\n"
        "    warnings.warn('w is not used yet')\n"
        "    (torch.ones(1, requires_grad=True) * 2).grad  # torch warns: .grad of a non-leaf tensor\n"
        "    return x * w + 1\n",
    )
    graded = grade_cli("--submission", str(folder), "l04", "-k", "forward")
    assert graded.code == 1
    (check,) = graded.checks().values()
    assert "torch-practice-" not in check["output"]  # the sandbox's path ate most of the excerpt
    lines = (folder / "l04_linear_model.py").read_text().splitlines()
    number = lines.index("    warnings.warn('w is not used yet')") + 1
    assert f"l04_linear_model.py:{number}: UserWarning: w is not used yet" in check["output"]
    grad = [i for i, line in enumerate(lines, 1) if line.endswith("# torch warns: .grad of a non-leaf tensor")][0]
    # torch's own warning, raised under the grader's forbidden-call mode, names the student's line too
    assert (
        f"l04_linear_model.py:{grad}: UserWarning: The .grad attribute of a Tensor that is not a leaf"
        in (check["output"])
    )
    shown = next(line for line in graded.stdout.splitlines() if "your code printed" in line)
    assert "won't be populated during autograd.backward()" in shown  # the reason survives the table's line width


@pytest.mark.parametrize(
    "message",
    [
        "Found no NVIDIA driver on your system. Please check that you have an NVIDIA GPU and installed a driver",
        "Torch not compiled with CUDA enabled",
        "No CUDA GPUs are available",
    ],
)
def test_asking_for_cuda_without_a_gpu_points_at_the_device_line(message):
    assert 'do not hard-code torch.device("cuda")' in advice(message)


@pytest.mark.slow
@pytest.mark.skipif(torch.cuda.is_available(), reason="on a GPU machine hard-coded CUDA works")
def test_code_that_hard_codes_cuda_is_told_to_use_the_device_it_is_given(tmp_path, grade_cli):
    folder = submission(
        tmp_path,
        "l12_cnn_basics",
        "_train_classifier = train_classifier\n"
        "def train_classifier(model, batches, epochs, optimizer, device='cpu'):\n"
        "    device = torch.device('cuda')  # copied from a GPU notebook\n"
        "    return _train_classifier(model, batches, epochs, optimizer, device)\n",
    )
    graded = grade_cli("--submission", str(folder), "l12", "-k", "train_classifier_steps")
    assert graded.code == 1
    (check,) = graded.checks().values()
    assert "Found no NVIDIA driver" in check["message"] or "CUDA" in check["message"]
    assert (
        'hint: this machine has no GPU, and the code asks for one: do not hard-code torch.device("cuda")'
        in (check["message"])
    )


L06_UPDATE_OUTSIDE_NO_GRAD = """
def train_quadratic(xs, ys, lr=0.01, epochs=100):
    w1, w2, b = (torch.tensor([1.0], requires_grad=True) for _ in range(3))
    for _ in range(epochs):
        for x, y in zip(xs, ys):
            ((quadratic_forward(x, w1, w2, b) - y) ** 2).backward()
            w1 = w1 - lr * w1.grad  # outside torch.no_grad(): the mistake l06's text describes
            w2 = w2 - lr * w2.grad
            b = b - lr * b.grad
            w1.grad.zero_()
            w2.grad.zero_()
            b.grad.zero_()
    return w1, w2, b
"""


@pytest.mark.slow
def test_an_update_outside_no_grad_gets_advice_and_torchs_whole_sentences(tmp_path, grade_cli):
    """Issue 17 item 13: it ended with "'NoneType' object has no attribute 'zero_'" and no advice, and
    torch's warning was cut in the middle of a sentence."""
    folder = submission(tmp_path, "l06_backprop", L06_UPDATE_OUTSIDE_NO_GRAD)
    graded = grade_cli("--submission", str(folder), "l06", "-k", "quadratic")
    assert graded.code == 1
    assert "AttributeError at l06_backprop.py:" in graded.stdout
    assert "'NoneType' object has no attribute 'zero_'\n      hint: a .grad is None: `w = w - lr * w.grad` outside" in (
        graded.stdout
    )
    assert "`with torch.no_grad(): w -= lr * w.grad`\n" in graded.stdout  # the advice is whole
    printed = next(line for line in graded.stdout.splitlines() if "your code printed:" in line)
    assert "UserWarning: The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. " in printed
    assert "won't be populated during autograd.backward(). ... |" in printed  # cut after a sentence


def test_long_printed_lines_are_cut_after_a_sentence():
    warning = "x.py:3: UserWarning: " + "A sentence of forty characters or so. " * 8
    assert shorten_line(warning, 120) == warning[: warning.rindex(". ", 0, 121) + 1] + " ..."
    assert shorten_line("x" * 300, 120) == "x" * 120 + "..."  # no sentence end: cut at the width
    assert shorten_line("short. line", 120) == "short. line"
