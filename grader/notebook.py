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
import os
import resource
import subprocess
import sys
import tempfile
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
            "## Check your work\n\nSave the notebook (Ctrl+S), then run the next cell: it grades "
            "this notebook's definitions with the lesson's public checks, and fails if a check fails."
        ),
        nbformat.v4.new_code_cell(check_cell(lesson)),
    ]
    for index, cell in enumerate(cells):
        cell["id"] = f"{lesson.id}-{index}"  # stable ids: the same lesson exports the same bytes
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.metadata["language_info"] = {"name": "python"}
    notebook.metadata["torch_practice"] = {"lesson": lesson.id}
    return notebook


def check_cell(lesson: Lesson) -> str:
    """The code of a notebook's last cell: grade the running notebook (``check``),
    with install advice in place of a bare ``No module named 'grader'``."""
    return (
        "try:\n"
        "    from grader.notebook import check\n"
        "except ModuleNotFoundError:\n"
        "    import sys\n"
        "\n"
        "    raise ModuleNotFoundError(\n"
        '        f"this kernel\'s Python ({sys.executable}) has no torch-practice grader: "\n'
        '        "choose the course\'s environment as the kernel (Kernel > Change Kernel), or install the "\n'
        '        f"course into this one: {sys.executable} -m pip install -e PATH/TO/torch-practice"\n'
        "    ) from None\n"
        f'check("{lesson.id}")'
    )


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
    code_cells = [cell.source for cell in notebook.cells if cell.get("cell_type") == "code"]
    extracted.source = _definitions_of(code_cells, extracted.notes)


def _definitions_of(codes: list[str], notes: list[str]) -> str:
    """The definitions (imports, ``def``, ``class``, assignments) of every piece of
    code that parses, in order, as one module; a note for each that does not."""
    pieces = []
    for number, cell in enumerate(codes, start=1):
        code = _without_magics(cell)
        tree, why = _cell_tree(code)
        if tree is None:
            notes.append(f"code cell {number} was skipped: {why}")
            continue
        lines = code.splitlines()
        kept = [node for node in tree.body if isinstance(node, DEFINITIONS)]
        pieces += ["\n".join(lines[first_line(node) - 1 : node.end_lineno]) for node in kept]
        del tree, kept  # the next cell's tree gets the whole budget
    return "\n\n\n".join(pieces) + "\n"


# -- the check cell, inside the student's kernel ------------------------------
class ChecksFailed(Exception):
    """Raised by the check cell when a check failed, so that "Run All" stops red."""

    def _render_traceback_(self) -> list[str]:
        """What IPython shows for it: the one line, not the grader's frames (the
        score table and the failed checks are printed above it)."""
        return [f"\x1b[31mChecksFailed\x1b[0m: {self}"]


def _running_notebook(user_ns: dict) -> Path | None:
    """The file of the notebook this kernel runs, when the front end says which:
    jupyter_server >= 2 puts its path in the kernel's ``JPY_SESSION_NAME`` (absolute,
    or relative to the server's root in its first releases), VS Code sets
    ``__vsc_ipynb_file__``. None when neither names an existing ``.ipynb``."""
    for named in (os.environ.get("JPY_SESSION_NAME"), user_ns.get("__vsc_ipynb_file__")):
        if not isinstance(named, str) or not named.endswith(".ipynb"):
            continue
        # the kernel starts in the notebook's folder: a relative path may be from the server's root
        for candidate in (Path(named), Path.cwd() / named, Path.cwd() / Path(named).name):
            if candidate.is_file():
                return candidate.resolve()
    return None


def _definitions(codes: list[str]) -> dict[str, str]:
    """The top-level functions, classes and assignments of ``codes`` run in order, by
    name, each as its syntax tree dumped (comments and blank lines do not count); a
    later definition replaces an earlier one, as it does in a kernel."""
    found: dict[str, str] = {}
    for code in codes:
        tree, _ = _cell_tree(_without_magics(code))
        for node in tree.body if tree else []:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                found[node.name] = ast.dump(node)
            elif isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                found[" = ".join(map(ast.unparse, targets))] = ast.dump(node)
    return found


def kernel_source(inputs: list[str]) -> str:
    """A lesson module from the code a kernel ran (IPython's ``In``, oldest first): the
    definitions of every input that parses, in order, as ``extract`` keeps a notebook's."""
    return _definitions_of(inputs, [])


def unsaved(path: Path, inputs: list[str]) -> list[str]:
    """Names the kernel defined otherwise than the saved notebook at ``path`` does: the
    file is older than what the kernel ran (edited cells run but not saved)."""
    try:
        saved = _parse(path.read_bytes(), path)
    except (OSError, NotebookError):
        return []
    in_file = _definitions([cell.source for cell in saved.cells if cell.get("cell_type") == "code"])
    return sorted(name for name, tree in _definitions(inputs).items() if in_file.get(name, tree) != tree)


def check(lesson_id: str, public: bool = True) -> None:
    """Grade the notebook this kernel runs with the lesson's checks, printing the score
    table; raise ``ChecksFailed`` when a check fails. Called by an exported notebook's
    last cell. The grading is a subprocess of the kernel's own Python (``python -m
    grader``, no ``practice`` on the PATH needed), so the kernel never loads a suite;
    the student's code runs in the grader's sandboxed worker, as for any submission."""
    from IPython import get_ipython  # only ever called inside a kernel

    shell = get_ipython()
    user_ns = shell.user_ns if shell is not None else {}
    inputs = [code for code in user_ns.get("In", []) if isinstance(code, str)]
    path = _running_notebook(user_ns)
    command = [sys.executable, "-m", "grader", "grade", lesson_id, *(["--public"] if public else [])]
    with tempfile.TemporaryDirectory(prefix="torch-practice-kernel-") as tmp:
        if path is not None:
            print(f"grading {path.name}")
            if names := unsaved(path, inputs):
                print(
                    f"warning: {path.name} on disk is older than what this kernel ran "
                    f"({', '.join(names)} differ): save the notebook (Ctrl+S) and run this cell again"
                )
            command += ["--notebook", str(path)]
        else:
            print(
                "this kernel does not say which notebook it runs (no JPY_SESSION_NAME, "
                "no __vsc_ipynb_file__): grading the definitions it ran instead"
            )
            lesson_file = Path(tmp) / f"{lesson_id}.py"
            lesson_file.write_text(kernel_source(inputs), encoding="utf-8")
            command += ["--submission", str(lesson_file)]
        code = _stream(command)
    if code == 1:
        raise ChecksFailed(f"{lesson_id}: some checks failed (see above)")
    if code:
        raise ChecksFailed(f"{lesson_id} could not be graded (exit status {code}, see above)")


def _stream(command: list[str]) -> int:
    """Run ``command`` from the folder holding this grader (so ``-m grader`` is this one),
    printing its output as it comes (training lessons report progress); its exit status."""
    with subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8"
    ) as process:
        for line in process.stdout:
            print(line, end="", flush=True)
    return process.returncode
