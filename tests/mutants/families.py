"""Mutants every lesson gets for free, generated from its reference solution.

The hand-written mutants in ``tests/mutants/<lesson>/`` each hold one realistic
mistake. The families here hold no working code at all, so they prove
something about every check at once (issues 21 and 24):

* the five **hollow** submissions (``HOLLOW``): no lesson file, a file that does
  not parse, a file that raises on import, and the reference with every
  function and method body replaced by ``return None`` or by ``raise
  ValueError``. Each must score 0 in every lesson: a check that a refusal, an
  unchanged input or a silent call would pass also has to see the function
  work.
* the **constant** mutant (``constant_outputs``): the reference with every
  result replaced by a constant of the same form (zeros of the same shape and
  dtype, ``0.0``, ``0``, ``False``, ``""``). Every check except a
  ``@shape_check`` must reject it.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def reference(lesson: str) -> str:
    return (ROOT / "solutions" / f"{lesson}.py").read_text(encoding="utf-8")


class _HollowBodies(ast.NodeTransformer):
    """Replaces the body of every function and method, nested ones included, with ``body``."""

    def __init__(self, body: Callable[[], list[ast.stmt]]) -> None:
        self.body = body

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.FunctionDef:
        node.body = self.body()
        return node

    visit_AsyncFunctionDef = visit_FunctionDef


def hollow_bodies(source: str, statement: str) -> str:
    """``source`` with every function body replaced by ``statement`` (one line of Python)."""
    tree = _HollowBodies(lambda: ast.parse(statement).body).visit(ast.parse(source))
    return ast.unparse(ast.fix_missing_locations(tree)) + "\n"


# name -> the lesson file's text for a lesson (None: no file at all)
HOLLOW: dict[str, Callable[[str], str | None]] = {
    "no_file": lambda lesson: None,
    "unparsable": lambda lesson: "def broken(:\n",
    "raises_on_import": lambda lesson: 'raise RuntimeError("this file fails to import")\n',
    "bodies_return_none": lambda lesson: hollow_bodies(reference(lesson), "return None"),
    "bodies_raise": lambda lesson: hollow_bodies(reference(lesson), 'raise ValueError("not written yet")'),
}

# Appended to the reference: every function and method of the lesson (its
# classes' ``__init__`` and ``__len__`` aside: they build the object and give
# its size) still runs, on copies of its arguments so that it changes nothing,
# and its result is replaced by a constant of the same form.
CONSTANT_OUTPUTS = """

# --- every result replaced by a constant of the same form (tests/mutants/families.py) ---
import copy as _copy
import functools as _functools
import inspect as _inspect


def _constant_like(value):
    if isinstance(value, torch.Tensor):
        zeros = torch.zeros_like(value.detach())
        return zeros.requires_grad_() if value.requires_grad and zeros.is_floating_point() else zeros
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float, str)):
        return type(value)()
    if isinstance(value, (tuple, list)):
        return type(value)(_constant_like(v) for v in value)
    if isinstance(value, dict):
        return {k: _constant_like(v) for k, v in value.items()}
    if _inspect.isgenerator(value):
        return (_constant_like(v) for v in value)
    return value  # a model, a dataset, a loader, None: its own methods are constant already


def _copied(value):
    try:
        return _copy.deepcopy(value)
    except Exception:  # a generator, an open file: the function gets the original
        return value


def _constantly(function):
    @_functools.wraps(function)
    def constant(*args, **kwargs):
        args, kwargs = [_copied(a) for a in args], {k: _copied(v) for k, v in kwargs.items()}
        return _constant_like(function(*args, **kwargs))

    return constant


for _name, _value in list(globals().items()):
    if getattr(_value, "__module__", None) != __name__ or _name.startswith("_"):
        continue
    if _inspect.isfunction(_value):
        globals()[_name] = _constantly(_value)
    elif _inspect.isclass(_value):
        for _method, _function in list(vars(_value).items()):
            if _inspect.isfunction(_function) and _method not in ("__init__", "__len__"):
                setattr(_value, _method, _constantly(_function))
"""


def constant_outputs(lesson: str) -> str:
    """The lesson's reference with every result replaced by a constant of the same form."""
    return reference(lesson) + CONSTANT_OUTPUTS
