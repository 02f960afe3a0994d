"""From-scratch checks hold however the forbidden operation is reached.

l10's four "matches torch" checks forbid torch.softmax, torch.logsumexp,
log_softmax and cross_entropy. Each submission below is the reference
solution with some of those functions replaced by a way around a
torch-function check: private aliases (``torch._softmax``), ``torch.ops.aten``,
``DisableTorchFunction``, a tensor subclass, popping the grader's modes. Graded
through `practice grade`, those checks must fail and only the honest ones pass.
"""

from __future__ import annotations

import ast
import importlib
import time

import pytest
import torch
from conftest import ROOT, grade, sandbox_processes, submission

from grader.forbid import ATEN_OPS, NOT_AT_DISPATCH, ForbiddenCall, KernelRefusal, overloads

L10 = "l10_softmax"
FROM_SCRATCH = "matches_torch"  # -k: the four from-scratch checks, nothing that trains
CHECKS = {
    "softmax": ("test_softmax_matches_torch_along_any_dim", 2),
    "logsumexp": ("test_logsumexp_matches_torch_along_any_dim", 2),
    "log_softmax": ("test_log_softmax_matches_torch_even_for_huge_logits", 2),
    "cross_entropy": ("test_cross_entropy_matches_torch_mean_over_the_batch", 2),
}

ALIASES = """
import torch


def softmax(X, dim=-1):
    return torch._softmax(X, dim, False)


def logsumexp(X, dim=-1):
    return torch.ops.aten.logsumexp.default(X, [dim])


def log_softmax(X, dim=-1):
    return torch._log_softmax(X, dim, False)


def cross_entropy(logits, y):
    return torch._C._nn.cross_entropy_loss(logits, y, None, 1)  # 1: the mean
"""

# softmax stays the reference's own: it must keep its points
SWITCHES = '''
import torch
import torch.nn.functional as F
from torch.overrides import _pop_mode_temporarily
from torch.utils._python_dispatch import _disable_current_modes


def logsumexp(X, dim=-1):
    with torch._C.DisableTorchFunction():
        return X.logsumexp(dim)


class _Sneaky(torch.Tensor):
    """A tensor whose exp() runs aten._log_softmax on the tensor it wraps."""

    @staticmethod
    def __new__(cls, data, dim):
        return torch.Tensor._make_wrapper_subclass(cls, data.shape, dtype=data.dtype, strides=data.stride())

    def __init__(self, data, dim):
        self.wrapped, self.dim = data, dim

    @classmethod
    def __torch_dispatch__(cls, func, types, args=(), kwargs=None):
        return torch.ops.aten._log_softmax.default(args[0].wrapped, args[0].dim, False)


def log_softmax(X, dim=-1):
    with torch._C.DisableTorchFunctionSubclass():
        return _Sneaky(X, dim).exp()


def cross_entropy(logits, y):
    keys = torch._C.DispatchKeySet(torch._C.DispatchKey.CPU)
    with _pop_mode_temporarily(), _disable_current_modes(), torch._C._DisableTorchDispatch(), torch.inference_mode():
        log_p = torch.ops.aten._log_softmax.default.redispatch(keys, logits, 1, False)
    return -log_p[torch.arange(len(y)), y].mean()
'''


def graded(tmp_path, code: str):
    folder = submission(tmp_path, L10, code)
    before, running = {p: p.read_bytes() for p in folder.iterdir()}, set(sandbox_processes())
    started = time.monotonic()
    result = grade(L10, "--submission", str(folder), "-k", FROM_SCRATCH, tmp_path=tmp_path)
    assert time.monotonic() - started < 120, "grading four small checks took minutes"
    assert {p: p.read_bytes() for p in folder.iterdir()} == before, "the submission folder changed"
    assert not set(sandbox_processes()) - running, "graded code left processes behind"
    return result


def assert_only_honest_points(result, hostile: set[str]) -> None:
    checks = result.checks()
    assert set(checks) == {name for name, _ in CHECKS.values()}, "the -k selection changed"
    failing = {CHECKS[f][0] for f in hostile}
    assert result.failed() == failing, result.stdout
    assert result.report["score"] == sum(points for f, (_, points) in CHECKS.items() if f not in hostile)
    for name in failing:
        assert "ForbiddenCall" in checks[name]["message"], checks[name]["message"]


@pytest.mark.slow
def test_private_aliases_and_torch_ops_are_refused(tmp_path):
    result = graded(tmp_path, ALIASES)
    assert_only_honest_points(result, {"softmax", "logsumexp", "log_softmax", "cross_entropy"})
    assert "torch.softmax (here aten::_softmax) is off limits" in result.checks()[CHECKS["softmax"][0]]["message"]


@pytest.mark.slow
def test_switching_off_torch_function_modes_subclasses_and_dispatch_is_refused(tmp_path):
    assert_only_honest_points(graded(tmp_path, SWITCHES), {"logsumexp", "log_softmax", "cross_entropy"})


# -- the table and the refusal itself, in this process ------------------------------
def forbidden_names() -> set[str]:
    """Every name a suite passes to ``forbidding()``, read from the suites' constants."""
    names = set()
    for suite in sorted((ROOT / "grader" / "suites").glob("test_l*.py")):
        module = importlib.import_module(f"grader.suites.{suite.stem}")
        for node in ast.walk(ast.parse(suite.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "forbidding":
                for arg in node.args:  # "torch.x" or *CONSTANT, evaluated in the suite's namespace
                    expr = arg.value if isinstance(arg, ast.Starred) else arg
                    value = eval(compile(ast.Expression(expr), str(suite), "eval"), vars(module))  # noqa: S307
                    names.update(value if isinstance(arg, ast.Starred) else [value])
    return names


def test_every_forbidden_name_is_in_the_table_or_says_why_not():
    names = forbidden_names()
    assert "torch.softmax" in names and "torch.broadcast_shapes" in names
    assert names <= set(ATEN_OPS) | set(NOT_AT_DISPATCH), sorted(names - set(ATEN_OPS) - set(NOT_AT_DISPATCH))
    missing = sorted({op for ops in ATEN_OPS.values() for op in ops if not overloads(op)})
    assert not missing, f"aten operators this torch does not have: {missing}"


def test_basic_operations_stay_allowed():
    basic = {
        "exp",
        "log",
        "max",
        "amax",
        "sum",
        "sub",
        "div",
        "mul",
        "add",
        "mean",
        "index",
        "as_strided",
        "mm",
        "maximum",
        "where",
        "scatter_",
        "sqrt",
        "pow",
        "abs",
        "tanh",
        "sigmoid",
        "uniform_",
        "expand",
        "view",
    }
    assert not basic & {op for ops in ATEN_OPS.values() for op in ops}


@pytest.mark.filterwarnings("ignore:The PyTorch API of nested tensors")
def test_the_refusal_covers_every_route_and_ends_with_the_call():
    x = torch.randn(3, 4)
    routes = {
        "public": lambda: torch.softmax(x, 1),
        "method": lambda: x.softmax(1),
        "private": lambda: torch._softmax(x, 1, False),
        "out=": lambda: torch._softmax(x, 1, False, out=torch.empty(3, 4)),
        "torch.ops": lambda: torch.ops.aten._softmax.default(x, 1, False),
        "nested": lambda: torch.nested.nested_tensor([x]).softmax(-1),
        "masked": lambda: torch._masked_softmax(x, torch.zeros(3, 4, dtype=torch.bool), 1),
        "attention": lambda: torch.nn.functional.scaled_dot_product_attention(
            x[None], torch.eye(4)[None], torch.eye(4)[None], scale=1.0
        ),
    }
    if torch.cuda.is_available():
        routes["cuda"] = lambda: torch._softmax(x.cuda(), 1, False)
    for route, call in routes.items():
        with pytest.raises(ForbiddenCall), KernelRefusal(["torch.softmax"]):
            call()
            pytest.fail(f"{route} was not refused")
    expected = (x - x.max(1, keepdim=True).values).exp()
    torch.testing.assert_close(torch.softmax(x, 1), expected / expected.sum(1, keepdim=True))


def test_a_refusal_caught_by_graded_code_still_fails_the_call():
    x = torch.randn(3, 4)
    with pytest.raises(ForbiddenCall, match="torch.logsumexp"), KernelRefusal(["torch.logsumexp"]):
        try:
            torch.logsumexp(x, 1)
        except ForbiddenCall:
            pass


def test_replacing_the_refusing_kernel_during_the_call_is_detected():
    x = torch.randn(3, 4)
    library = torch.library.Library("aten", "IMPL")
    try:
        with pytest.raises(ForbiddenCall, match="changed during the call"), KernelRefusal(["torch.logsumexp"]):
            library.impl("logsumexp", lambda *args, **kwargs: x, "CompositeExplicitAutograd")
            torch.logsumexp(x, 1)
    finally:
        library._destroy()
    torch.testing.assert_close(torch.logsumexp(x, 1), x.exp().sum(1).log())


def test_every_operator_in_the_table_is_refused_and_then_restored():
    qualnames = sorted({q for ops in ATEN_OPS.values() for op in ops for q in overloads(op)})
    before = {q: torch._C._dispatch_dump(q) for q in qualnames}
    with KernelRefusal(sorted(ATEN_OPS)) as refusal:
        assert set(refusal.installed) == set(qualnames)
    assert {q: torch._C._dispatch_dump(q) for q in qualnames} == before


def test_popping_the_grader_s_torch_function_mode_is_detected_and_the_stack_is_left_clean():
    from torch.overrides import TorchFunctionMode, _pop_mode

    from grader.sandbox.worker import Forbidding

    depth = torch._C._len_torch_function_stack()
    with pytest.raises(ForbiddenCall, match="switched off"), Forbidding(["torch.autograd.grad"]):
        _pop_mode()  # then torch.autograd.grad would run unchecked
        TorchFunctionMode().__enter__()  # and a mode of its own, left behind
    assert torch._C._len_torch_function_stack() == depth
