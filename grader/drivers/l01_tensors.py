"""Runs inside the sandbox: lesson-01 checks that need views with offsets and
strides, which the wire cannot carry (tensors cross it as fresh copies).

The suite describes each view as a base shape plus a list of operations;
``build_view`` makes it here, the student's code gets it, and only plain
results (ints, copies, strides) go back for the suite to judge.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch

from grader.drivers.common import students_turn
from grader.drivers.files import read_file  # noqa: F401 - run by Student.read_file


def build_view(shape: Sequence[int], ops: Sequence[Sequence], base: torch.Tensor | None = None) -> torch.Tensor:
    """A view of ``base`` (default: ``arange`` in float64 of ``shape``) after
    ``ops``: ``("slice", dim, start, stop, step)``, ``("transpose", d0, d1)``
    or ``("select", dim, i)``, applied in order."""
    t = torch.arange(math.prod(shape), dtype=torch.float64).reshape(tuple(shape)) if base is None else base
    for op in ops:
        if op[0] == "slice":
            _, dim, start, stop, step = op
            index = [slice(None)] * t.dim()
            index[dim] = slice(start, stop, step)
            t = t[tuple(index)]
        elif op[0] == "transpose":
            t = t.transpose(op[1], op[2])
        elif op[0] == "select":
            t = t.select(op[1], op[2])
        else:
            raise ValueError(f"unknown view operation {op[0]!r}")
    return t


def storage_indices(student, cases: list[dict]) -> list:
    """The student's ``storage_index`` for each case's view and index."""
    with students_turn():
        return [
            student.storage_index(build_view(c["shape"], c["ops"], c.get("base")), tuple(c["index"])) for c in cases
        ]


def transpose_views(student, cases: list[dict]) -> list[dict]:
    """For each case: the student's ``transpose_view`` of the case's view, its
    strides and contiguity, and its values after 0.5 was added to every
    element of the input view in place (a true view shows the change)."""
    with students_turn():
        results = []
        for c in cases:
            t = build_view(c["shape"], c["ops"], c.get("base"))
            r = student.transpose_view(t, c["dim0"], c["dim1"])
            facts = {"stride": tuple(r.stride()), "contiguous": r.is_contiguous(), "before": r.clone()}
            t.add_(0.5)
            facts["after"] = r.clone()
            results.append(facts)
        return results


def add_inplace_facts(student, Y: torch.Tensor, X: torch.Tensor) -> dict:
    """Y after the student's ``add_inplace(Y, X)``, whether its memory stayed
    where it was, and whether the function returned Y itself."""
    address = Y.data_ptr()
    with students_turn():
        out = student.add_inplace(Y, X)
        return {"Y": Y, "same_memory": Y.data_ptr() == address, "returned_Y": out is Y}
