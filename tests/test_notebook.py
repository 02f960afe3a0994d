"""Lessons as notebooks: export with nbformat, then grade a filled notebook."""

from __future__ import annotations

import ast
import json

import nbformat
import pytest
from conftest import ROOT, practice

from grader.build import BEGIN, END
from grader.lessons import LESSONS, find
from grader.notebook import export, extract, lesson_notebook

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
        assert f"grader grade {lesson.id} --public --notebook" in code[-1]
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
