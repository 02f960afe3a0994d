"""Lessons as Jupyter notebooks (nbformat v4), and filled notebooks back as
lesson modules that grade like any submission.

Export: the lesson text as a markdown cell, the imports and constants as one
code cell, one code cell per stub (exactly as in ``exercises/``), then a cell
that runs the lesson's public checks. Extract: the definitions of every code
cell that parses (imports, ``def``, ``class``, assignments), in order; magics,
shell escapes, outputs and scratch expressions are dropped, and a cell with a
syntax error is skipped with a note, so the other stubs still get graded.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from grader.catalog import comment_start, first_line
from grader.lessons import BY_ID, ROOT, Lesson

DEFINITIONS = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Assign,
               ast.AnnAssign)


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
        text = "\n".join(lines[comment_start(lines, first_line(node)) - 1:node.end_lineno])
        own_cell = isinstance(node, (ast.FunctionDef, ast.ClassDef))
        if chunks and not own_cell and not chunks[-1][0]:
            chunks[-1] = (False, chunks[-1][1] + "\n" + text)  # imports and constants share one cell
        else:
            chunks.append((own_cell, text))
    return chunks


def build(lesson: Lesson) -> nbformat.NotebookNode:
    """The notebook of one lesson, built from its stubs in ``exercises/``."""
    source = (ROOT / "exercises" / f"{lesson.id}.py").read_text(encoding="utf-8")
    text = ast.get_docstring(ast.parse(source), clean=True) or lesson.title
    cells = [nbformat.v4.new_markdown_cell(f"# {text}")]  # the docstring's first line is the lesson's title
    cells += [nbformat.v4.new_code_cell(chunk) for _, chunk in _chunks(source)]
    cells += [
        nbformat.v4.new_markdown_cell("## Check your work\n\nSave the notebook, then run the next cell: it "
                                      "grades the definitions above with the lesson's public checks."),
        # the kernel's own Python runs the grader: no need for `practice` on the PATH
        nbformat.v4.new_code_cell(f"import sys\n!{{sys.executable}} -m grader grade {lesson.id} --public "
                                  f"--notebook {lesson.id}.ipynb"),
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
    notebook = build(lesson)
    nbformat.validate(notebook)
    path.write_text(nbformat.writes(notebook) + "\n", encoding="utf-8")
    return path


def _without_magics(code: str) -> str:
    """A cell's code without IPython magics (``%``, ``%%``) and shell escapes (``!``)."""
    if code.lstrip().startswith("%%"):
        return ""  # a cell magic owns the whole cell
    return "\n".join(line for line in code.splitlines() if not line.lstrip().startswith(("%", "!")))


def _lesson_of(notebook: nbformat.NotebookNode, path: Path) -> Lesson:
    named = notebook.metadata.get("torch_practice", {}).get("lesson") or path.stem
    if named not in BY_ID:
        raise NotebookError(f"cannot tell which lesson {path.name} is: name it after the lesson "
                            f"(l04_linear_model.ipynb) or export it with `practice notebook export`")
    return BY_ID[named]


def extract(path: Path) -> Extracted:
    """Read a filled notebook back into a lesson module."""
    try:
        notebook = nbformat.read(path, as_version=4)
    except Exception as exc:  # noqa: BLE001 - nbformat raises many kinds for a damaged file
        raise NotebookError(f"{path.name} is not a Jupyter notebook this grader can read ({type(exc).__name__})") from None
    extracted = Extracted(_lesson_of(notebook, path), "")
    pieces = []
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    for number, cell in enumerate(code_cells, start=1):
        code = _without_magics(cell.source)
        try:
            tree = ast.parse(code)
        except SyntaxError as exc:
            extracted.notes.append(f"code cell {number} was skipped: syntax error on its line {exc.lineno}: {exc.msg}")
            continue
        lines = code.splitlines()
        kept = [node for node in tree.body if isinstance(node, DEFINITIONS)]
        pieces += ["\n".join(lines[first_line(node) - 1:node.end_lineno]) for node in kept]
    extracted.source = "\n\n\n".join(pieces) + "\n"
    return extracted
