"""The proxy suites use: calls, handles, gradients and restarts, driven
directly on a small lesson file."""

from __future__ import annotations

import os

import pytest
import torch
from conftest import DATA

from grader.sandbox.errors import StudentError
from grader.sandbox.host import WorkerConfig, WorkerProcess, training_line
from grader.sandbox.proxies import Remote, Student

LESSON = """
import os
import torch
from torch import nn


def double(x):
    return 2 * x


def crash():
    os._exit(3)


def leak_a_subclass():
    class Evil(torch.Tensor):
        def __eq__(self, other):
            return True
    return torch.zeros(2).as_subclass(Evil)


def train_slowly(epochs):
    import time
    for epoch in range(1, epochs + 1):
        with open(os.environ["TORCH_PRACTICE_TRAINING_FILE"], "w") as f:  # what drivers.common.report_training writes
            f.write(f"{epoch} {epochs} 0.25")
        time.sleep(1.2)
    return epochs


class Block(nn.Module):
    def __init__(self, n):
        super().__init__()
        self.lin = nn.Linear(n, n)

    def forward(self, x):
        return torch.relu(self.lin(x))
"""


@pytest.fixture
def student(tmp_path):
    path = tmp_path / "l99_demo.py"
    path.write_text(LESSON)
    worker = WorkerProcess(WorkerConfig(lesson="l99_demo", path=path, data_root=DATA, call_timeout=30))
    yield Student(worker)
    worker.close()


def test_functions_return_plain_tensors(student):
    out = student.double(torch.ones(3))
    assert type(out) is torch.Tensor and torch.equal(out, torch.full((3,), 2.0))


def test_a_tensor_subclass_comes_back_as_a_plain_tensor(student):
    out = student.leak_a_subclass()
    assert type(out) is torch.Tensor
    assert not torch.equal(out, torch.ones(2))


def test_modules_are_handles_with_remote_methods_and_state(student):
    block = student.Block(4)
    assert isinstance(block, Remote)
    assert block.training is True
    block.eval()
    assert block.training is False
    sd = block.state_dict()
    assert set(sd) == {"lin.weight", "lin.bias"}
    block.load_state_dict({k: torch.zeros_like(v) for k, v in sd.items()})
    assert torch.equal(block(torch.randn(2, 4)), torch.zeros(2, 4))
    assert [tuple(p.shape) for p in block.parameters()] == [(4, 4), (4,)]


def test_backward_returns_input_and_parameter_gradients(student):
    block = student.Block(3)
    x = torch.randn(5, 3).requires_grad_()
    grads = student.backward(block, x)
    assert grads.value.shape == (5, 3)
    assert grads.inputs[0].shape == (5, 3)
    assert set(grads.params) == {"lin.weight", "lin.bias"}


def test_a_crash_fails_the_call_and_the_next_call_gets_a_fresh_worker(student):
    block = student.Block(2)
    with pytest.raises(StudentError, match=r"worker exited with status 3 during crash\(\)"):
        student.crash()
    assert torch.equal(student.double(torch.ones(1)), torch.full((1,), 2.0))
    with pytest.raises(StudentError, match="lost when the worker restarted"):
        block(torch.ones(1, 2))


def test_a_missing_function_is_named(student):
    with pytest.raises(StudentError, match="softmax is missing from the lesson file"):
        student.softmax(torch.ones(2))


def test_an_endless_import_fails_within_the_call_limit(tmp_path):
    path = tmp_path / "l99_demo.py"
    path.write_text("while True:\n    pass\n")
    worker = WorkerProcess(WorkerConfig(lesson="l99_demo", path=path, data_root=DATA, call_timeout=2))
    try:
        with pytest.raises(StudentError, match=r"timed out: used 2 s of CPU time during import of l99_demo.py"):
            Student(worker).double(torch.ones(1))
        with pytest.raises(StudentError, match="timed out"):  # remembered: no second wait
            Student(worker).double(torch.ones(1))
    finally:
        worker.close()


def test_huge_output_is_kept_as_a_short_excerpt(student, tmp_path):
    path = tmp_path / "l99_loud.py"
    path.write_text("def shout():\n    print('start'); print('x' * 10_000_000); print('end')\n")
    worker = WorkerProcess(WorkerConfig(lesson="l99_loud", path=path, data_root=DATA, call_timeout=30))
    try:
        Student(worker).shout()
        output = worker.take_output()
        assert output.startswith("start") and output.rstrip().endswith("end")
        assert "cut] ..." in output and len(output) < 10_000
    finally:
        worker.close()


def test_training_progress_reaches_the_grader_while_the_call_runs(student):
    seen = []
    student._worker.on_training_line = seen.append
    assert student.train_slowly(2) == 2
    assert "epoch 1/2, loss 0.2500" in seen and seen[-1] is None  # shown, then cleared


def test_training_line_reads_only_what_it_understands(tmp_path):
    path = tmp_path / "progress"
    for written, shown in (
        ("3 8 0.28714", "epoch 3/8, loss 0.2871"),
        ("2 4", "epoch 2/4"),
        ("junk", None),
        ("1 x", None),
        ("9" * 500, None),
    ):
        path.write_text(written)
        assert training_line(path) == shown, written
    assert training_line(tmp_path / "missing") is None
    os.mkfifo(tmp_path / "fifo")  # a worker could leave one to block the grader's read
    assert training_line(tmp_path / "fifo") is None
    (tmp_path / "link").symlink_to(path)
    assert training_line(tmp_path / "link") is None
