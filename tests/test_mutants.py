"""Every hidden check can fail: each mutant in tests/mutants/<lesson>/ is the
reference solution with one realistic mistake appended, and names in
CAUGHT_BY exactly the checks that must reject it (``CAUGHT_BY = []``: correct
code written another way, often the course notes' own, that must pass);
``TRAINS_IN`` names ``@training`` checks it must pass too, and
``MESSAGE_HOLDS`` words its failure message must hold (issue 21: a message
names the property that is wrong). Grading it must fail those
checks and pass all the others (the ``@training`` checks run only where a
mutant targets them, to keep the suite fast).

Every lesson also gets the generated families of ``tests/mutants/families.py``:
the constant mutant here, the hollow submissions in ``test_hollow.py``."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import ROOT, submission, training_checks
from mutants.families import constant_outputs

from grader import catalog
from grader.lessons import LESSONS, find
from grader.report import Status

MUTANTS = sorted((Path(__file__).parent / "mutants").glob("l*/*.py"))
SUITES = sorted((ROOT / "grader" / "suites").glob("test_l*.py"))


def listed(mutant: Path, name: str) -> list[str] | None:
    for node in ast.parse(mutant.read_text()).body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == name:
            return ast.literal_eval(node.value)
    return None


def caught_by(mutant: Path) -> list[str]:
    checks = listed(mutant, "CAUGHT_BY")
    assert checks is not None, f"{mutant} has no CAUGHT_BY list"
    return checks


def trains_in(mutant: Path) -> list[str]:
    """``TRAINS_IN``: ``@training`` checks the mutant must pass, run although they do not catch it (correct code
    written another way, whose training must reach the threshold too)."""
    return listed(mutant, "TRAINS_IN") or []


def checks_in(suite: Path) -> list[str]:
    return [
        n.name
        for n in ast.parse(suite.read_text()).body
        if isinstance(n, ast.FunctionDef) and n.name.startswith("test_")
    ]


def test_every_check_has_a_mutant_that_it_rejects():
    caught = {name for mutant in MUTANTS for name in caught_by(mutant)}
    unguarded = [f"{suite.stem}::{name}" for suite in SUITES for name in checks_in(suite) if name not in caught]
    assert not unguarded, f"checks without a mutant proving they can fail: {unguarded}"


def test_mutants_name_real_checks():
    known = {name for suite in SUITES for name in checks_in(suite)}
    for mutant in MUTANTS:
        assert set(caught_by(mutant)) | set(trains_in(mutant)) <= known, (
            f"{mutant.name} names a check that does not exist"
        )


@pytest.mark.slow
@pytest.mark.parametrize("mutant", MUTANTS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_mutant_fails_exactly_its_checks(mutant, tmp_path, grade_cli):
    lesson, expected = mutant.parent.name, set(caught_by(mutant))
    folder = submission(tmp_path, lesson, mutant.read_text())
    training = training_checks(lesson)
    targeted = expected | set(trains_in(mutant))
    if targeted & training:  # every fast check, and of the training checks only those it targets
        left_out = training - targeted
        selection = ("-k", f"not ({' or '.join(sorted(left_out))})") if left_out else ()
    else:
        selection = ("-m", "not training")
    graded = grade_cli(lesson, "--submission", str(folder), *selection)
    checks = graded.checks()
    not_graded = {name for name, c in checks.items() if c["status"] == Status.NOT_GRADED}
    if expected and expected <= not_graded:  # CAUGHT_BY = []: correct code written another way, that must pass
        pytest.skip(f"the checks that catch {mutant.stem} cannot run here: {checks[min(expected)]['message']}")
    assert graded.failed() == expected - not_graded, (
        f"{mutant.stem}: failed {sorted(graded.failed())}, expected {sorted(expected - not_graded)}\n{graded.stdout}"
    )
    assert graded.code == (1 if expected - not_graded else 0)
    messages = " | ".join(checks[name]["message"] for name in expected - not_graded)
    for words in listed(mutant, "MESSAGE_HOLDS") or []:  # the failure names what is wrong, not a grader error
        assert words in messages, f"{mutant.stem}: the failure message should hold {words!r}: {messages}"


@pytest.mark.slow
@pytest.mark.parametrize("lesson", [lesson.id for lesson in LESSONS])
def test_constant_outputs_fail_every_check_but_shape_checks(lesson, tmp_path, grade_cli):
    """Zeros of the right shape and dtype (0.0, 0, "" for plain values) pass a check only if it looks at nothing
    but shape, dtype and type (``@shape_check``). The ``@training`` checks are left out for time: the constant
    mutant still trains a copy of each model for real before it answers a constant."""
    folder = tmp_path / "submission"
    folder.mkdir()
    (folder / f"{lesson}.py").write_text(constant_outputs(lesson), encoding="utf-8")
    checks = grade_cli(lesson, "--submission", str(folder), "-m", "not training").checks()
    must_fail = [c.name for c in catalog.lesson_checks(find(lesson)) if not (c.training or c.shape_check)]
    passed = [name for name in must_fail if checks[name]["status"] == Status.PASSED]
    assert not passed, f"{lesson}: checks that accept constant results: {passed}"
