"""Lessons as notebooks: export with nbformat, then grade a filled notebook."""

from __future__ import annotations

import ast
import json
import subprocess
import sys

import nbformat
import pytest
from conftest import DATA, ROOT, practice

from grader import catalog
from grader.build import BEGIN, END
from grader.lessons import LESSONS, find
from grader.notebook import export, extract, kernel_source, lesson_notebook, unsaved

PUBLIC_L04 = sum(c.points for c in catalog.lesson_checks(find("l04_linear_model")) if c.public)  # the cell's --public

L04 = find("l04_linear_model")


def solution_definitions(lesson_id: str) -> dict[str, str]:
    """Each top-level def/class of the solution, by name, without the solution markers."""
    source = (ROOT / "solutions" / f"{lesson_id}.py").read_text()
    lines = source.splitlines()
    found = {}
    for node in ast.parse(source).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            text = lines[node.lineno - 1 : node.end_lineno]
            found[node.name] = "\n".join(line for line in text if not (BEGIN.match(line) or END.match(line)))
    return found


def filled(tmp_path, lesson=L04, broken: str | None = None):
    """The exported notebook with every stub cell replaced by the solution's
    definition; the cell of ``broken`` gets a syntax error instead."""
    path = export(lesson, tmp_path)
    notebook = nbformat.read(path, as_version=4)
    answers = solution_definitions(lesson.id)
    for cell in notebook.cells:
        if cell.cell_type != "code" or not cell.source.startswith(("def ", "class ")):
            continue
        name = cell.source.split()[1].split("(")[0].rstrip(":")
        cell.source = answers[name] if name != broken else answers[name].replace("(", "((", 1)
    notebook.cells.insert(
        3, nbformat.v4.new_code_cell("%timeit forward(torch.ones(3), 2.0)\nprint(forward(torch.ones(3), 2.0))")
    )
    notebook.cells.insert(3, nbformat.v4.new_code_cell("%%bash\necho scratch"))
    nbformat.write(notebook, path)
    return path


def test_every_lesson_exports_a_valid_notebook_with_one_cell_per_stub(tmp_path):
    for lesson in LESSONS:
        notebook = nbformat.read(export(lesson, tmp_path), as_version=4)
        nbformat.validate(notebook)
        assert notebook.nbformat == 4 and notebook.metadata["torch_practice"]["lesson"] == lesson.id
        stubs = (ROOT / "exercises" / f"{lesson.id}.py").read_text()
        code = [cell.source for cell in notebook.cells if cell.cell_type == "code"]
        for name in {n.name for n in ast.parse(stubs).body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}:
            assert (
                sum(
                    c.startswith((f"def {name}(", f"class {name}(", f"class {name}:"))
                    or f"\ndef {name}(" in c
                    or f"\nclass {name}" in c
                    for c in code
                )
                == 1
            ), (lesson.id, name)
        assert f'check("{lesson.id}")' in code[-1]
        lesson_text = ast.get_docstring(ast.parse(stubs))
        assert notebook.cells[0].cell_type == "markdown" and lesson_text in notebook.cells[0].source


def test_export_is_deterministic(tmp_path):
    first = export(L04, tmp_path / "a").read_bytes()
    assert first == export(L04, tmp_path / "b").read_bytes()
    assert nbformat.writes(lesson_notebook(L04)) in first.decode()


def test_extract_keeps_definitions_and_drops_magics_and_scratch(tmp_path):
    extracted = extract(filled(tmp_path))
    assert extracted.lesson == L04 and extracted.notes == []
    assert "timeit" not in extracted.source and "print(" not in extracted.source and "scratch" not in extracted.source
    assert "def mse_surface(" in extracted.source and "import torch" in extracted.source


@pytest.mark.slow
def test_a_filled_notebook_gets_full_marks(tmp_path, grade_cli):
    graded = grade_cli("--notebook", str(filled(tmp_path)))
    assert graded.code == 0, graded.stderr
    assert graded.report["score"] == graded.report["max_score"] == L04.points


@pytest.mark.slow
def test_a_cell_with_a_syntax_error_is_skipped_and_the_other_stubs_are_graded(tmp_path, grade_cli):
    graded = grade_cli("--notebook", str(filled(tmp_path, broken="mse_surface")))
    assert "code cell" in graded.stderr and "was skipped: syntax error" in graded.stderr
    assert graded.failed() == {
        "test_mse_surface_matches_the_formula_on_a_w_b_meshgrid",
        "test_mse_surface_keeps_the_shape_of_any_grid",
    }
    assert graded.report["score"] == L04.points - 3


def test_a_file_that_is_not_a_notebook_or_of_no_lesson_is_one_clear_error(tmp_path):
    junk = tmp_path / "homework.ipynb"
    junk.write_text("not json")
    done = practice("grade", "--notebook", str(junk))
    assert done.returncode == 2 and "is not a Jupyter notebook this grader can read" in done.stderr
    nameless = tmp_path / "mine.ipynb"
    nameless.write_text(json.dumps(nbformat.v4.new_notebook()))
    done = practice("grade", "--notebook", str(nameless))
    assert done.returncode == 2 and "cannot tell which lesson mine.ipynb is" in done.stderr
    wrong = practice("grade", "l10", "--notebook", str(export(L04, tmp_path)))
    assert wrong.returncode == 2 and "is the notebook of l04_linear_model, not of l10" in wrong.stderr
    assert "Traceback" not in done.stderr + wrong.stderr


def test_the_notebook_export_command_writes_the_chosen_lessons(tmp_path):
    done = practice("notebook", "export", "l04", "l10", "--out", str(tmp_path / "nb"))
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (tmp_path / "nb").iterdir()) == ["l04_linear_model.ipynb", "l10_softmax.ipynb"]


# -- the check cell in a real Jupyter kernel (nbclient + ipykernel) -------------------
def run_in_kernel(path, tmp_path, monkeypatch, session_name: str | None, cells=None):
    """Execute the notebook at ``path`` (or ``cells``, in place of its saved ones) in a
    fresh ipykernel of this Python, started in the notebook's folder, whose front end
    names the notebook ``session_name`` (``JPY_SESSION_NAME``, as jupyter_server >= 2
    sets it; None: unnamed, as nbclient itself runs). The kernelspec is registered in
    a temporary JUPYTER_PATH, so the user's own kernels and config play no part. The
    kernel imports this checkout's grader. Returns the executed notebook and the
    error that stopped it, if any."""
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    spec = tmp_path / "jupyter" / "kernels" / "torch-practice-test"
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    env = {"PYTHONPATH": str(ROOT), "TORCH_PRACTICE_DATA": str(DATA)}
    (spec / "kernel.json").write_text(
        json.dumps({"argv": argv, "display_name": "test", "language": "python", "env": env})
    )
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    if session_name is None:
        monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    else:
        monkeypatch.setenv("JPY_SESSION_NAME", session_name)
    notebook = nbformat.read(path, as_version=4)
    if cells is not None:
        notebook.cells = cells
    client = nbclient.NotebookClient(
        notebook, kernel_name="torch-practice-test", timeout=600, resources={"metadata": {"path": str(path.parent)}}
    )
    try:
        client.execute()
    except nbclient.exceptions.CellExecutionError as exc:
        return notebook, exc
    return notebook, None


def cell_output(cell) -> str:
    return "".join(
        out.get("text", "") + "\n".join(out.get("traceback", [])) + out.get("evalue", "") for out in cell.outputs
    )


@pytest.mark.slow
def test_a_filled_notebook_run_in_a_jupyter_kernel_shows_its_public_score(tmp_path, monkeypatch):
    path = filled(tmp_path)
    notebook, error = run_in_kernel(path, tmp_path, monkeypatch, session_name=str(path))
    shown = cell_output(notebook.cells[-1])
    assert error is None, shown
    assert "grading l04_linear_model.ipynb" in shown and "older than" not in shown
    assert "l04_linear_model" in shown and f"{PUBLIC_L04}/{PUBLIC_L04}     done" in shown


@pytest.mark.slow
def test_a_renamed_copy_with_a_wrong_loss_is_graded_as_itself_and_the_cell_raises(tmp_path, monkeypatch):
    filled(tmp_path)  # the original, right, beside the copy: it must not be graded
    copy = filled(tmp_path / "copy")
    copy = copy.rename(tmp_path / "l04_linear_model-Copy1.ipynb")
    notebook = nbformat.read(copy, as_version=4)
    for cell in notebook.cells:
        if cell.source.startswith("def loss("):
            cell.source = cell.source.replace("** 2", "** 3")
    nbformat.write(notebook, copy)
    notebook, error = run_in_kernel(copy, tmp_path, monkeypatch, session_name=str(copy))
    shown = cell_output(notebook.cells[-1])
    assert error is not None and "ChecksFailed" in str(error), shown
    assert (
        "grading l04_linear_model-Copy1.ipynb" in shown
        and "FAIL" in shown
        and f"{PUBLIC_L04}/{PUBLIC_L04}" not in shown
    )


@pytest.mark.slow
def test_an_unnamed_kernel_grades_its_own_definitions_and_an_unsaved_file_is_named(tmp_path, monkeypatch):
    path = filled(tmp_path)
    ran = nbformat.read(path, as_version=4).cells
    saved = nbformat.read(path, as_version=4)
    for cell in saved.cells:  # the file on disk: an older, wrong mse_loss
        if cell.source.startswith("def loss("):
            cell.source = cell.source.replace("** 2", "** 3")
    nbformat.write(saved, path)
    notebook, error = run_in_kernel(path, tmp_path, monkeypatch, session_name=str(path), cells=ran)
    shown = cell_output(notebook.cells[-1])
    assert "l04_linear_model.ipynb on disk is older than what this kernel ran (loss differ)" in shown
    assert error is not None  # the saved file, which the teacher gets, is graded
    notebook, error = run_in_kernel(path, tmp_path / "unnamed", monkeypatch, session_name=None, cells=ran)
    shown = cell_output(notebook.cells[-1])
    assert error is None, shown
    assert "grading the definitions it ran instead" in shown and f"{PUBLIC_L04}/{PUBLIC_L04}     done" in shown


def test_without_a_grader_the_check_cell_says_how_to_install_it(tmp_path):
    cell = nbformat.read(export(L04, tmp_path), as_version=4).cells[-1].source
    done = subprocess.run([sys.executable, "-I", "-S", "-c", cell], capture_output=True, text=True, cwd=tmp_path)
    assert "No module named" not in done.stderr.splitlines()[-1]
    assert "has no torch-practice grader" in done.stderr and "-m pip install -e" in done.stderr


def test_the_file_is_older_than_the_kernel_only_when_a_definition_differs(tmp_path):
    path = filled(tmp_path)
    cells = [cell.source for cell in nbformat.read(path, as_version=4).cells if cell.cell_type == "code"]
    reformatted = [code.replace("\n", "\n\n# a comment\n", 1) for code in cells]  # same code, other text
    assert unsaved(path, ["", *reformatted, "print(1)"]) == []
    edited = [code.replace("** 2", "** 3") if code.startswith("def loss(") else code for code in cells]
    assert unsaved(path, [*cells, *edited]) == ["loss"]  # the last run counts, as in the kernel
    source = kernel_source([*edited, *cells, "get_ipython().run_line_magic('timeit', 'loss(1, 2, 3)')"])
    assert "** 3" in source and source.rindex("** 2") > source.rindex("** 3") and "timeit" not in source
