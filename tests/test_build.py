"""The single source: exercises/ is generated from solutions/ and never drifts."""

from __future__ import annotations

import ast

import pytest
from conftest import ROOT

from grader.build import MarkerError, stale, strip_solutions

SOLUTION = '''
def softmax(X, dim=-1):
    """Row-wise softmax."""
    # BEGIN SOLUTION
    E = X.exp()
    return E / E.sum(dim, keepdim=True)
    # END SOLUTION


class Net:
    def forward(self, x):
        # BEGIN SOLUTION
        return x
        # END SOLUTION
'''


def test_committed_exercises_equal_the_build_output():
    assert stale() == [], "exercises/ differs from solutions/: run `make build` and commit"


def test_a_region_becomes_a_stub_naming_the_function():
    out = strip_solutions(SOLUTION)
    assert '    raise NotImplementedError("softmax")' in out
    assert '        raise NotImplementedError("Net.forward")' in out
    assert '"""Row-wise softmax."""' in out and "def softmax(X, dim=-1):" in out
    assert "E.sum" not in out and "BEGIN SOLUTION" not in out
    ast.parse(out)


@pytest.mark.parametrize(
    "broken, problem",
    [
        ("def f():\n    # BEGIN SOLUTION\n    return 1\n", "never closed"),
        ("def f():\n    return 1\n    # END SOLUTION\n", "without BEGIN"),
        ("# BEGIN SOLUTION\nx = 1\n# END SOLUTION\n", "inside a function"),
    ],
)
def test_broken_markers_are_reported_with_file_and_line(broken, problem):
    with pytest.raises(MarkerError, match=problem):
        strip_solutions(broken, "lesson.py")


@pytest.mark.parametrize("solution", sorted((ROOT / "solutions").glob("l*.py")), ids=lambda p: p.stem)
def test_no_solution_line_reaches_the_exercises(solution):
    exercise = (ROOT / "exercises" / solution.name).read_text()
    inside, leaked = False, []
    for line in solution.read_text().splitlines():
        if "# BEGIN SOLUTION" in line:
            inside = True
        elif "# END SOLUTION" in line:
            inside = False
        elif inside and line.strip() and line in exercise.splitlines():
            leaked.append(line.strip())
    # a few generic lines (`return x`) may legitimately appear elsewhere; solution code must not
    assert not [line for line in leaked if len(line) > 20], f"solution lines in exercises/: {leaked}"
