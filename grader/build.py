"""Single source: write ``exercises/`` from ``solutions/``.

In a solution, the code a student must write sits between two marker lines::

    # BEGIN SOLUTION
    ...
    # END SOLUTION

The build replaces each marked region by ``raise NotImplementedError(...)``
naming the function, at the marker's indentation, and keeps everything else
(signatures, docstrings, lesson text) as it is.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from grader.lessons import ROOT

BEGIN = re.compile(r"^(\s*)# BEGIN SOLUTION\s*$")
END = re.compile(r"^\s*# END SOLUTION\s*$")


class MarkerError(ValueError):
    pass


def enclosing_names(source: str) -> dict[int, str]:
    """Line number -> qualified name of the innermost function around it."""
    names: dict[int, str] = {}

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                qualname = f"{prefix}{child.name}"
                if not isinstance(child, ast.ClassDef):
                    for line in range(child.lineno, child.end_lineno + 1):
                        names[line] = qualname
                visit(child, f"{qualname}.")
            else:
                visit(child, prefix)

    visit(ast.parse(source), "")
    return names


def strip_solutions(source: str, filename: str = "<solution>") -> str:
    """The exercise version of one solution file."""
    names = enclosing_names(source)
    out: list[str] = []
    begin: tuple[int, str] | None = None
    for number, line in enumerate(source.splitlines(keepends=True), start=1):
        if match := BEGIN.match(line):
            if begin:
                raise MarkerError(f"{filename}:{number}: BEGIN SOLUTION inside another region")
            begin = (number, match.group(1))
        elif END.match(line):
            if not begin:
                raise MarkerError(f"{filename}:{number}: END SOLUTION without BEGIN")
            start, indent = begin
            name = names.get(start)
            if name is None:
                raise MarkerError(f"{filename}:{start}: a solution region must sit inside a function")
            out.append(f'{indent}raise NotImplementedError("{name}")\n')
            begin = None
        elif not begin:
            out.append(line)
    if begin:
        raise MarkerError(f"{filename}:{begin[0]}: BEGIN SOLUTION is never closed")
    return "".join(out)


def render(root: Path = ROOT) -> dict[Path, str]:
    """Each exercise file and the text the build gives it."""
    return {
        root / "exercises" / solution.name: strip_solutions(solution.read_text(encoding="utf-8"), str(solution))
        for solution in sorted((root / "solutions").glob("*.py"))
    }


def stale(root: Path = ROOT) -> list[str]:
    """Names of the exercise files that differ from what the build writes."""
    return [
        path.name
        for path, text in render(root).items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    ]


def stub(lesson_id: str, root: Path = ROOT) -> str:
    """The pristine exercise file of a lesson, for ``practice reset``: built
    from its solution or, in a student release (no ``solutions/``), the copy
    the release keeps in ``grader/stubs/``."""
    solution = root / "solutions" / f"{lesson_id}.py"
    if solution.exists():
        return strip_solutions(solution.read_text(encoding="utf-8"), str(solution))
    return (root / "grader" / "stubs" / f"{lesson_id}.py").read_text(encoding="utf-8")


def build_exercises(root: Path = ROOT) -> list[Path]:
    """Write ``exercises/*.py`` from ``solutions/*.py``; return the files written."""
    files = render(root)
    (root / "exercises").mkdir(exist_ok=True)
    for path, text in files.items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
    return list(files)
