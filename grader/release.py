"""``practice release OUT``: the repository students get.

It holds the stubs (``exercises/``, built from ``solutions/``, plus a pristine copy in ``grader/stubs/``
for ``practice reset``), the grader with only the ``@public`` checks of each
suite, the drivers and the data layer, and what ``templates/release/``
holds (Makefile, README for students, ``.gitignore``, the GitHub Actions
grading workflow). No ``solutions/``, no hidden check, no project tests.

Hidden checks are cut from each suite's source by line range (so comments
and layout of what stays are kept), with the comment block right above
each; then every top-level helper or constant that no remaining code uses
is cut too, until nothing more goes.

Every other file is copied as it is. A lesson's points need no rewriting:
``Lesson.points`` is the sum of the ``@points`` in the suite it reads, so in
the release, whose suites hold only the public checks, it is the public points.
What the release leaves out is counted once, when it is written, into
``grader/release.json`` (checks and points per lesson, no names): a lesson
whose public checks all pass then says "public checks passed (the course
grades N more checks)" instead of "done" (``done_word``).
"""

from __future__ import annotations

import ast
import json
import re
import shutil
from pathlib import Path

from grader import build, catalog
from grader.lessons import ROOT

TEMPLATE = ROOT / "templates" / "release"
# In a release only: what the course grades beyond the public checks the release
# ships, per lesson ({"hidden": {lesson id: {"checks": n, "points": n}}}), counted
# from the catalog when the release is written. Its presence marks a release.
HIDDEN = Path(__file__).resolve().parent / "release.json"


class ReleaseError(ValueError):
    pass


def _cut(source: str, spans: list[tuple[int, int]]) -> str:
    """``source`` without the given 1-based line spans, each with the comment
    lines right above it; runs of blank lines collapse to two."""
    lines = source.splitlines(keepends=True)
    drop: set[int] = set()
    for first, last in spans:
        drop.update(range(catalog.comment_start(lines, first), last + 1))
    kept = "".join(line for number, line in enumerate(lines, start=1) if number not in drop)
    return re.sub(r"\n{4,}", "\n\n\n", kept)


def _defined_name(node: ast.stmt) -> str | None:
    """The name a top-level helper, fixture or constant defines; None for
    anything else (imports, checks, expressions)."""
    if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and not node.name.startswith("test_"):
        return node.name
    if isinstance(node, (ast.Assign, ast.AnnAssign)):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        if len(targets) == 1 and isinstance(targets[0], ast.Name) and targets[0].id != "pytestmark":
            return targets[0].id
    return None


def _names_used(node: ast.AST) -> set[str]:
    """Names a node reads, including fixture names requested as arguments."""
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)} | {
        a.arg for n in ast.walk(node) if isinstance(n, ast.arguments) for a in n.args + n.kwonlyargs
    }


def _unused_helpers(source: str) -> list[tuple[int, int]]:
    body = ast.parse(source).body
    spans = []
    for node in body:
        name = _defined_name(node)
        if name is None:
            continue
        used_elsewhere = any(name in _names_used(other) for other in body if other is not node)
        if not used_elsewhere:
            spans.append((catalog.first_line(node), node.end_lineno))
    return spans


def public_suite(source: str) -> str:
    """A suite's source with only its public checks and what they use."""
    source = _cut(source, [check.lines for check in catalog.checks(source) if not check.public])
    while spans := _unused_helpers(source):
        source = _cut(source, spans)
    return source


def hidden_counts(root: Path = ROOT) -> dict[str, dict[str, int]]:
    """Per lesson, the number and points of the checks a release leaves out."""
    counts = {}
    for path in sorted((root / "grader" / "suites").glob("test_*.py")):
        hidden = [check for check in catalog.suite_checks(path) if not check.public]
        counts[path.stem.removeprefix("test_")] = {
            "checks": len(hidden),
            "points": sum(check.points for check in hidden),
        }
    return counts


def hidden_checks(lesson_id: str, path: Path = HIDDEN) -> int:
    """How many more checks the course grades than this release holds for a
    lesson: 0 in the teacher's repository (no ``release.json``) or for a
    lesson the file does not name."""
    try:
        count = json.loads(path.read_text(encoding="utf-8"))["hidden"][lesson_id]["checks"]
    except (OSError, ValueError, KeyError, TypeError):
        return 0
    return count if isinstance(count, int) and count > 0 else 0


def done_word(lesson_id: str, path: Path = HIDDEN) -> str:
    """What a lesson whose every check passed is called: "done" where every
    check was graded; in a release, where the course grades hidden checks too,
    "public checks passed (the course grades N more checks)"."""
    more = hidden_checks(lesson_id, path)
    if not more:
        return "done"
    return f"public checks passed (the course grades {more} more check{'s' * (more != 1)})"


def _write_stubs(root: Path, out: Path) -> None:
    """The stubs, built from ``solutions/`` as ``practice build`` builds them,
    into the release's ``exercises/`` and ``grader/stubs/``: never a copy of
    the teacher's working ``exercises/``, which may hold edits or answers."""
    stubs = build.render(root)
    for folder in (out / "exercises", out / "grader" / "stubs"):
        folder.mkdir(parents=True, exist_ok=True)
        for path, text in stubs.items():
            (folder / path.name).write_text(text, encoding="utf-8")


def release(out: Path, root: Path = ROOT) -> list[Path]:
    """Write the student repository into ``out`` (which must not exist or be
    empty); return the files written."""
    if not (root / "solutions").is_dir() or not TEMPLATE.is_dir():
        raise ReleaseError(
            "a release is made from the teacher's repository (solutions/ and templates/), not from a student release"
        )
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ReleaseError(f"{out} already exists and is not an empty folder; choose a new one")
    if out.resolve().is_relative_to(root.resolve()):
        raise ReleaseError(f"{out} is inside this repository; write the release somewhere else")
    out.mkdir(parents=True, exist_ok=True)
    _write_stubs(root, out)
    for path in sorted((root / "grader").rglob("*")):
        relative = path.relative_to(root)
        if path.is_dir() or "__pycache__" in path.parts or relative.parts[1] == "stubs":
            continue
        target = out / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        text = path.read_text(encoding="utf-8")
        if path.parent.name == "suites" and path.suffix == ".py":
            text = public_suite(text)
        target.write_text(text, encoding="utf-8")
    shutil.copy2(root / "constraints.txt", out / "constraints.txt")
    (out / "pyproject.toml").write_text(
        (root / "pyproject.toml").read_text(encoding="utf-8").replace(', "solutions*"', ""), encoding="utf-8"
    )
    (out / "data").mkdir()
    shutil.copy2(root / "data" / "README.md", out / "data" / "README.md")
    shutil.copytree(TEMPLATE, out, dirs_exist_ok=True)
    counts = {"hidden": hidden_counts(root)}
    (out / "grader" / HIDDEN.name).write_text(json.dumps(counts, indent=2) + "\n", encoding="utf-8")
    return sorted(p for p in out.rglob("*") if p.is_file())
