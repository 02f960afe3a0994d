"""Lessons as Jupyter notebooks (nbformat v4), and filled notebooks back as
lesson modules that grade like any submission.

Export: the lesson text as a markdown cell, the imports and constants as one
code cell, one code cell per stub (exactly as in ``exercises/``), then a cell
that runs the lesson's public checks. Extract: the definitions of every code
cell that parses (imports, ``def``, ``class``, assignments), in order; magics,
shell escapes, outputs and scratch expressions are dropped, and a cell with a
syntax error, or too deep or too large to parse, is skipped with a note, so the
other stubs still get graded. A notebook is a submitted file like any other: it
is checked and read by ``grader.submission`` (size cap, no links), and parsed
in the grader under a memory budget.
"""

from __future__ import annotations

import ast
import resource
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from grader import submission
from grader.catalog import comment_start, first_line
from grader.lessons import BY_ID, ROOT, Lesson

DEFINITIONS = (
    ast.Import,
    ast.ImportFrom,
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.ClassDef,
    ast.Assign,
    ast.AnnAssign,
)
# Bytes of address space the grader may add while it parses one notebook. An
# honest notebook needs about 50 MB; 4 MB of `x=1` lines in one cell would take
# 2.4 GB and 12 s (a syntax tree costs up to ~600 bytes per byte of code), and
# now stop with MemoryError within a second: a note for that cell.
PARSE_MEMORY = 512 << 20


class NotebookError(ValueError):
    """The file is not a notebook this grader can read."""


@dataclass
class Extracted:
    lesson: Lesson
    source: str  # the lesson module rebuilt from the notebook
    notes: list[str] = field(default_factory=list)  # cells skipped, and why


def _chunks(source: str) -> list[tuple[bool, str]]:
    """Top-level pieces of a module, each with the comment lines right above
    it: (is a definition to give its own cell, text). The docstring is left out."""
    tree = ast.parse(source)
    lines = source.splitlines()
    body = tree.body[1:] if tree.body and isinstance(tree.body[0], ast.Expr) else tree.body
    chunks: list[tuple[bool, str]] = []
    for node in body:
        text = "\n".join(lines[comment_start(lines, first_line(node)) - 1 : node.end_lineno])
        own_cell = isinstance(node, (ast.FunctionDef, ast.ClassDef))
        if chunks and not own_cell and not chunks[-1][0]:
            chunks[-1] = (False, chunks[-1][1] + "\n" + text)  # imports and constants share one cell
        else:
            chunks.append((own_cell, text))
    return chunks


def lesson_notebook(lesson: Lesson) -> nbformat.NotebookNode:
    """The notebook of one lesson, built from its stubs in ``exercises/``."""
    source = (ROOT / "exercises" / f"{lesson.id}.py").read_text(encoding="utf-8")
    text = ast.get_docstring(ast.parse(source), clean=True) or lesson.title
    cells = [nbformat.v4.new_markdown_cell(f"# {text}")]  # the docstring's first line is the lesson's title
    cells += [nbformat.v4.new_code_cell(chunk) for _, chunk in _chunks(source)]
    cells += [
        nbformat.v4.new_markdown_cell(
            "## Check your work\n\nSave the notebook, then run the next cell: it "
            "grades the definitions above with the lesson's public checks."
        ),
        # the kernel's own Python runs the grader: no need for `practice` on the PATH
        nbformat.v4.new_code_cell(
            f"import sys\n!{{sys.executable}} -m grader grade {lesson.id} --public --notebook {lesson.id}.ipynb"
        ),
    ]
    for index, cell in enumerate(cells):
        cell["id"] = f"{lesson.id}-{index}"  # stable ids: the same lesson exports the same bytes
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.metadata["language_info"] = {"name": "python"}
    notebook.metadata["torch_practice"] = {"lesson": lesson.id}
    return notebook


def export(lesson: Lesson, out_dir: Path) -> Path:
    """Write ``out_dir/<lesson>.ipynb`` and return its path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{lesson.id}.ipynb"
    notebook = lesson_notebook(lesson)
    nbformat.validate(notebook)
    path.write_text(nbformat.writes(notebook) + "\n", encoding="utf-8")
    return path


def _without_magics(code: str) -> str:
    """A cell's code without IPython magics (``%``, ``%%``) and shell escapes (``!``)."""
    if code.lstrip().startswith("%%"):
        return ""  # a cell magic owns the whole cell
    return "\n".join(line for line in code.splitlines() if not line.lstrip().startswith(("%", "!")))


def _lesson_of(notebook: nbformat.NotebookNode, path: Path) -> Lesson:
    metadata = notebook.get("metadata")
    ours = metadata.get("torch_practice") if isinstance(metadata, dict) else None
    named = (ours.get("lesson") if isinstance(ours, dict) else None) or path.stem
    if not isinstance(named, str) or named not in BY_ID:
        raise NotebookError(
            f"cannot tell which lesson {path.name} is: name it after the lesson "
            f"(l04_linear_model.ipynb) or export it with `practice notebook export`"
        )
    return BY_ID[named]


@contextmanager
def _memory_budget(extra: int) -> Iterator[None]:
    """Let this process map at most ``extra`` more bytes until the block ends, so
    that parsing a hostile notebook raises ``MemoryError`` instead of taking the
    machine's memory. Where /proc is missing (not Linux) there is no budget."""
    unlimited = resource.RLIM_INFINITY
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    try:
        budget = int(Path("/proc/self/statm").read_text().split()[0]) * resource.getpagesize() + extra
    except (OSError, ValueError, IndexError):
        budget = unlimited
    if hard != unlimited:
        budget = hard if budget == unlimited else min(budget, hard)
    if budget == unlimited or (soft != unlimited and soft <= budget):
        yield  # no budget to set, or a tighter limit is already there
        return
    resource.setrlimit(resource.RLIMIT_AS, (budget, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _parse(raw: bytes, path: Path) -> nbformat.NotebookNode:
    """The notebook in ``raw``, as nbformat v4; ``NotebookError`` if it is not one.
    Unlike ``nbformat.reads`` this logs nothing: a schema error would print the student's text."""
    unreadable = f"{path.name} is not a Jupyter notebook this grader can read"
    try:
        notebook = nbformat.convert(nbformat.reader.reads(raw.decode("utf-8")), 4)
    except Exception as exc:  # noqa: BLE001 - bad JSON or UTF-8, nbformat's many kinds, RecursionError, MemoryError
        raise NotebookError(f"{unreadable} ({type(exc).__name__})") from None
    cells = notebook.get("cells")
    if not isinstance(cells, list) or not all(
        isinstance(cell, dict) and isinstance(cell.get("source"), str) for cell in cells
    ):
        raise NotebookError(f"{unreadable} (its cells are damaged)")
    return notebook


def _cell_tree(code: str) -> tuple[ast.Module | None, str]:
    """A code cell's syntax tree, or None and why it was skipped."""
    try:
        return ast.parse(code), ""
    except SyntaxError as exc:
        return None, f"syntax error{f' on its line {exc.lineno}' if exc.lineno else ''}: {exc.msg}"
    except ValueError as exc:  # a null byte, on Pythons before 3.11.4
        return None, str(exc)
    except RecursionError:
        return None, "its code is nested too deeply to read"
    except MemoryError:
        return None, "its code is too large to read"


def extract(path: Path, limit: int = submission.MAX_FILE_BYTES) -> Extracted:
    """Read a filled notebook back into a lesson module. The file is checked and
    read like any submitted file (at most ``limit`` bytes, see grader.submission),
    and parsed under a memory budget: nothing in it can take the grader down."""
    try:
        raw = submission.read(*submission.split(path), limit)
    except submission.Refused as exc:
        raise NotebookError(str(exc)) from None
    try:
        with _memory_budget(PARSE_MEMORY):
            notebook = _parse(raw, path)
            extracted = Extracted(_lesson_of(notebook, path), "")
            _keep_definitions(notebook, extracted)
    except MemoryError:  # outside a cell's own parse, which makes a note instead
        raise NotebookError(f"{path.name} is too large for the grader to read") from None
    return extracted


def _keep_definitions(notebook: nbformat.NotebookNode, extracted: Extracted) -> None:
    """Fill ``extracted.source`` with the definitions of every code cell that parses;
    each cell that does not gets a note."""
    pieces = []
    code_cells = [cell for cell in notebook.cells if cell.get("cell_type") == "code"]
    for number, cell in enumerate(code_cells, start=1):
        code = _without_magics(cell.source)
        tree, why = _cell_tree(code)
        if tree is None:
            extracted.notes.append(f"code cell {number} was skipped: {why}")
            continue
        lines = code.splitlines()
        kept = [node for node in tree.body if isinstance(node, DEFINITIONS)]
        pieces += ["\n".join(lines[first_line(node) - 1 : node.end_lineno]) for node in kept]
        del tree, kept  # the next cell's tree gets the whole budget
    extracted.source = "\n\n\n".join(pieces) + "\n"
