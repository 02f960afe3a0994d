"""What a hidden suite declares, read with ``ast`` without importing it (no
torch, no pytest, instant): its checks, their points, which are ``@public``
``@training`` or ``@shape_check``, and their ``@hints``.

The suite is the one source of these facts: a lesson's points are the sum of
its checks' ``@points`` (``Lesson.points`` asks here), and in a student release,
whose suites hold only the public checks, the same sum is the public points.
``practice list``, ``hint``, ``release`` and the README table use it.
"""

from __future__ import annotations

import ast
import difflib
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # grader.lessons imports this module: the type only, no cycle
    from grader.lessons import Lesson


@dataclass(frozen=True)
class Check:
    name: str  # the test function: test_<a sentence with underscores>
    points: int
    public: bool  # @public: ships in the student release
    training: bool  # @training: trains a model to a threshold (minutes), never public
    shape_check: bool  # @shape_check: checks only shape, dtype and type (a constant result may pass)
    hints: tuple[str, ...]
    lines: tuple[int, int]  # first line (its first decorator) and last line, 1-based

    @property
    def title(self) -> str:
        return self.name.removeprefix("test_").replace("_", " ")


class UnknownCheck(ValueError):
    pass


def _decorator(node: ast.expr) -> tuple[str, list[ast.expr]]:
    """A decorator's name and arguments: ``@public`` -> ("public", []),
    ``@hints("a", "b")`` -> ("hints", [...]), ``@check.points(2)`` -> ("points", [...])."""
    call = node if isinstance(node, ast.Call) else None
    target = call.func if call else node
    name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
    return name, list(call.args) if call else []


def first_line(node: ast.stmt) -> int:
    """A top-level statement's first line (1-based), its decorators included."""
    return min([d.lineno for d in getattr(node, "decorator_list", [])] + [node.lineno])


def comment_start(lines: list[str], first: int) -> int:
    """The first line of the comment block right above line ``first`` (1-based), else ``first``."""
    while first > 1 and lines[first - 2].lstrip().startswith("#"):
        first -= 1
    return first


def checks(source: str) -> list[Check]:
    """The checks of a suite's source, in file order."""
    found = []
    for node in ast.parse(source).body:
        if not (isinstance(node, ast.FunctionDef) and node.name.startswith("test_")):
            continue
        marks = dict(_decorator(d) for d in node.decorator_list)
        points = marks.get("points", [])
        hints = tuple(arg.value for arg in marks.get("hints", []) if isinstance(arg, ast.Constant))
        found.append(
            Check(
                name=node.name,
                points=points[0].value if points and isinstance(points[0], ast.Constant) else 0,
                public="public" in marks,
                training="training" in marks,
                shape_check="shape_check" in marks,
                hints=hints,
                lines=(first_line(node), node.end_lineno),
            )
        )
    return found


@functools.lru_cache(maxsize=64)
def _suite_checks(path: Path, stamp: tuple[int, int]) -> tuple[Check, ...]:
    """The checks of the suite file at ``path``; ``stamp`` (mtime, size) makes an edited file read again."""
    return tuple(checks(path.read_text(encoding="utf-8")))


def suite_checks(path: Path) -> list[Check]:
    """The checks of a suite file, in file order (parsed once per version of the file)."""
    stat = path.stat()
    return list(_suite_checks(path, (stat.st_mtime_ns, stat.st_size)))


def lesson_checks(lesson: Lesson) -> list[Check]:
    return suite_checks(lesson.suite)


def suite_points(path: Path) -> int:
    """The points of a suite: the sum of its checks' ``@points``."""
    return sum(check.points for check in suite_checks(path))


def find_check(lesson: Lesson, name: str) -> Check:
    """A check by its name, with or without ``test_``, or by a unique part of it."""
    known = lesson_checks(lesson)
    wanted = name if name.startswith("test_") else f"test_{name}"
    matches = [c for c in known if c.name == wanted] or [c for c in known if name in c.name]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise UnknownCheck(
            f"{name!r} matches {len(matches)} checks of {lesson.id}: "
            + ", ".join(c.name.removeprefix("test_") for c in matches[:5])
        )
    close = difflib.get_close_matches(wanted, [c.name for c in known], n=1, cutoff=0.5)
    suggestion = (
        f"; did you mean {close[0].removeprefix('test_')}?"
        if close
        else f"; `practice grade {lesson.id} -v` lists them"
    )
    raise UnknownCheck(f"{lesson.id} has no check {name!r}{suggestion}")
