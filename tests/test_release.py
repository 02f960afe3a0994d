"""`practice release`: the student repository holds the stubs and the public
checks, and nothing a student could copy an answer from."""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import DATA, ROOT, practice

from grader import catalog, report
from grader import release as release_module
from grader.build import BEGIN, END, enclosing_names, stub
from grader.cli import grade as grade_command
from grader.lessons import LESSONS

WORKFLOW = ROOT / "templates" / "release" / ".github" / "workflows" / "grade.yml"


@pytest.fixture(scope="module")
def release(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("release") / "course"
    done = practice("release", str(out))
    assert done.returncode == 0, done.stderr
    return out


def release_texts(release: Path) -> dict[Path, str]:
    return {path: path.read_text(encoding="utf-8") for path in release.rglob("*") if path.is_file()}


def solution_regions() -> list[tuple[str, str]]:
    """(where, code) of every marked solution region, code lines stripped."""
    regions = []
    for solution in sorted((ROOT / "solutions").glob("*.py")):
        inside: list[str] | None = None
        for number, line in enumerate(solution.read_text().splitlines(), start=1):
            if BEGIN.match(line):
                inside, start = [], number
            elif END.match(line):
                code = [text.strip() for text in inside if text.strip() and not text.strip().startswith("#")]
                regions.append((f"{solution.name}:{start}", "\n".join(code)))
                inside = None
            elif inside is not None:
                inside.append(line)
    return regions


def stub_functions(lesson_id: str) -> list[str]:
    """The top-level functions and classes a student writes in a lesson: those
    holding a solution region (a method's region counts for its class)."""
    source = (ROOT / "solutions" / f"{lesson_id}.py").read_text()
    names = enclosing_names(source)
    found = [names[n].split(".")[0] for n, line in enumerate(source.splitlines(), start=1) if BEGIN.match(line)]
    return list(dict.fromkeys(found))


def _top_level(path: Path) -> dict[str, ast.AST]:
    tree = ast.parse(path.read_text()) if path.exists() else ast.Module(body=[])
    return {node.name: node for node in tree.body if isinstance(node, (ast.FunctionDef, ast.ClassDef))}


def names_a_check_uses(lesson_id: str, check: str) -> set[str]:
    """Every name, attribute and string a check reads, followed into the suite's
    helpers and fixtures and the lesson's drivers it calls (``student.gradient``,
    ``driver.storage_indices``, ``getattr(student, "LeNet")``)."""
    suite = _top_level(ROOT / "grader" / "suites" / f"test_{lesson_id}.py")
    drivers = _top_level(ROOT / "grader" / "drivers" / f"{lesson_id}.py")
    used: set[str] = set()
    todo, seen = [suite[check]], set()
    while todo:
        node = todo.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        for n in ast.walk(node):
            if isinstance(n, ast.Name):
                used.add(n.id)
            elif isinstance(n, ast.Attribute):
                used.add(n.attr)
            elif isinstance(n, ast.arg):  # a fixture the check asks for
                used.add(n.arg)
            elif isinstance(n, ast.Constant) and isinstance(n.value, str):
                used.add(n.value)
        todo += [table[name] for name in used for table in (suite, drivers) if name in table]
    return used


# Stub functions no public check uses yet (issue 17 item 8, still open): this list
# only shrinks; a new stub function comes with a public check.
NO_PUBLIC_CHECK_YET: set[tuple[str, str]] = set()


def test_every_stub_function_has_a_public_check():
    """Issue 17 item 8: l05's gradient_descent, stochastic_gradient_descent and
    exponential_moving_average had no public check, so a release student with
    them unwritten saw `3/3 done`. Each function a student writes must be used
    by a public check, which then fails while it raises NotImplementedError."""
    missing = set()
    for lesson in LESSONS:
        public = [c.name for c in catalog.lesson_checks(lesson) if c.public]
        used = set().union(*(names_a_check_uses(lesson.id, name) for name in public))
        missing |= {(lesson.id, function) for function in stub_functions(lesson.id) if function not in used}
    assert not missing - NO_PUBLIC_CHECK_YET, (
        f"stub functions without a public check: {sorted(missing - NO_PUBLIC_CHECK_YET)}"
    )
    assert not NO_PUBLIC_CHECK_YET - missing, f"these have a public check now: {sorted(NO_PUBLIC_CHECK_YET - missing)}"


def test_every_lesson_has_public_and_hidden_checks_and_public_ones_have_hints():
    for lesson in LESSONS:
        checks = catalog.lesson_checks(lesson)
        public = [c for c in checks if c.public]
        assert public, f"{lesson.id} has no public check"
        assert len(public) < len(checks), f"{lesson.id}: every check is public"
        assert not any(c.training for c in public), f"{lesson.id}: a @training check is public"
        for check in public:
            assert len(check.hints) >= 2, f"{lesson.id}::{check.name} needs at least two hints"


def test_the_release_has_no_solutions_and_no_project_tests(release):
    for absent in ("solutions", "tests", "benchmarks", ".ci", "templates"):
        assert not (release / absent).exists(), f"{absent}/ is in the release"
    assert sorted(p.name for p in (release / "exercises").glob("*.py")) == sorted(
        p.name for p in (ROOT / "exercises").glob("*.py")
    )
    assert "solutions" not in (release / "pyproject.toml").read_text()


def test_no_solution_region_is_anywhere_in_the_release(release):
    texts = {
        path: "\n".join(line.strip() for line in text.splitlines()) for path, text in release_texts(release).items()
    }
    regions = solution_regions()
    assert len(regions) > 100
    for where, code in regions:
        leaked = [str(path.relative_to(release)) for path, text in texts.items() if code in text]
        assert not leaked, f"the solution region at {where} is in {leaked}:\n{code}"


def test_no_hidden_check_or_its_hints_is_anywhere_in_the_release(release):
    text = "\n".join(release_texts(release).values())
    for lesson in LESSONS:
        for check in catalog.lesson_checks(lesson):
            if check.public:
                assert check.name in text, f"the public check {check.name} is missing"
            else:
                assert check.name not in text, f"the hidden check {check.name} is in the release"
                for hint in check.hints:
                    assert hint not in text, f"a hint of the hidden check {check.name} is in the release"


def test_the_release_counts_the_public_points_without_rewriting_the_course_file(release):
    assert (release / "grader" / "lessons.py").read_bytes() == (ROOT / "grader" / "lessons.py").read_bytes()
    public = {le.id: sum(c.points for c in catalog.lesson_checks(le) if c.public) for le in LESSONS}
    assert all(0 < public[le.id] < le.points for le in LESSONS)
    state, exercises = release / ".practice", release / "exercises"
    state.mkdir()
    shutil.copytree(exercises, state / "stubs")
    try:  # a student with full marks on every public check: `practice list` in the release shows them as done
        for lesson in public:  # (a lesson whose file is still the stub is "not started", whatever was graded)
            shutil.copy(ROOT / "solutions" / f"{lesson}.py", exercises / f"{lesson}.py")
        (state / "results.json").write_text(
            json.dumps(
                {lesson: {"score": points, "max_score": points, "failed": []} for lesson, points in public.items()}
            )
        )
        done = in_release(release, "list")
    finally:
        shutil.copytree(state / "stubs", exercises, dirs_exist_ok=True)
        shutil.rmtree(state)
    assert done.returncode == 0, done.stderr
    rows = {lesson: line for line in done.stdout.splitlines() for lesson in public if line[2:].startswith(lesson + " ")}
    assert len(rows) == len(public), done.stdout
    for lesson, points in public.items():
        assert rows[lesson].startswith("✓") and f" {points}/{points} " in rows[lesson], rows[lesson]
    assert "every lesson's public checks pass (the course grades more checks" in done.stdout  # never "full marks"


def test_reset_in_a_release_restores_the_stub_it_ships(release):
    for lesson in LESSONS:
        assert stub(lesson.id, root=release) == (ROOT / "exercises" / f"{lesson.id}.py").read_text()


def test_the_release_writes_the_stubs_from_solutions_not_the_teachers_working_exercises(tmp_path):
    """Issue 17 item 1: a teacher who solved (or edited) a lesson in the checkout's
    exercises/ used to ship that file in the release, and in grader/stubs/ for reset."""
    checkout = tmp_path / "checkout"
    for folder in ("solutions", "exercises", "grader"):
        shutil.copytree(ROOT / folder, checkout / folder, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("constraints.txt", "pyproject.toml", "data/README.md"):
        (checkout / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, checkout / name)
    lesson = "l04_linear_model"
    solved = (ROOT / "solutions" / f"{lesson}.py").read_text() + "\n# the teacher's own note\n"
    (checkout / "exercises" / f"{lesson}.py").write_text(solved)
    (checkout / "exercises" / "l05_gradient_descent.py").unlink()  # a lesson missing from exercises/ ships too

    out = tmp_path / "course"
    release_module.release(out, root=checkout)

    for folder in ("exercises", "grader/stubs"):
        for solution in (ROOT / "solutions").glob("*.py"):
            shipped = (out / folder / solution.name).read_text()
            assert shipped == stub(solution.stem), f"{folder}/{solution.name} is not the stub built from solutions/"
    texts = "\n".join(release_texts(out).values())
    assert "the teacher's own note" not in texts
    regions = [code for _, code in solution_regions() if "\n" in code]
    stripped = "\n".join(line.strip() for line in texts.splitlines())
    assert not [code for code in regions if code in stripped], "a solution region is in the release"


def test_the_release_counts_what_it_leaves_out_without_naming_it(release):
    """Issue 17 item 8: the release knows how many checks and points each lesson's
    hidden checks are worth, from the catalog, and nothing else about them."""
    counts = json.loads((release / "grader" / "release.json").read_text())
    for lesson in LESSONS:
        hidden = [c for c in catalog.lesson_checks(lesson) if not c.public]
        assert counts["hidden"][lesson.id] == {"checks": len(hidden), "points": sum(c.points for c in hidden)}
    assert not (ROOT / "grader" / "release.json").exists(), "the teacher's repository is not a release"


def test_a_release_says_public_checks_passed_not_done(release):
    """Issue 17 item 8: l05 at full public marks said `3/3 done` in a release while the
    teacher's grade was 8/13; "done" is kept for where every check is graded."""
    lesson = "l05_gradient_descent"
    checks = catalog.lesson_checks(next(le for le in LESSONS if le.id == lesson))
    hidden, public_points = sum(not c.public for c in checks), sum(c.points for c in checks if c.public)
    show = (
        "from grader import report, watch\n"
        "from grader.lessons import BY_ID\n"
        f"results = [report.CheckResult({lesson!r}, 'test_x', {public_points}, 'passed')]\n"
        "print(report.table(results))\n"
        f"print(watch.summarise(BY_ID[{lesson!r}], report.to_json(results)))\n"
    )
    shown = subprocess.run(
        [sys.executable, "-c", show],
        cwd=release,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(release)},
    )
    assert shown.returncode == 0, shown.stderr
    word = f"public checks passed (the course grades {hidden} more checks)"
    assert shown.stdout.count(word) == 3, shown.stdout  # the table's status, watch's status and its next step
    assert "done" not in shown.stdout, shown.stdout
    # in the teacher's repository every check is graded: the word stays "done"
    assert release_module.done_word(lesson) == "done"
    assert report.LessonResult(lesson, [report.CheckResult(lesson, "test_x", 1, "passed")]).status == "done"


def in_release(release: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "grader", *args],
        cwd=release,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(release), "TORCH_PRACTICE_DATA": str(DATA)},
    )


@pytest.mark.slow
def test_make_grade_in_the_release_grades_the_public_checks(release, tmp_path):
    assert (
        "practice grade" in subprocess.run(["make", "-n", "grade"], cwd=release, capture_output=True, text=True).stdout
    )
    lesson = "l04_linear_model"
    public = {c.name for c in catalog.lesson_checks(next(le for le in LESSONS if le.id == lesson)) if c.public}
    stubs = in_release(release, "grade", lesson, "--json", str(tmp_path / "stubs.json"))
    assert stubs.returncode == 1, stubs.stderr
    shutil.copy(ROOT / "solutions" / f"{lesson}.py", release / "exercises" / f"{lesson}.py")
    solved = in_release(release, "grade", lesson, "--json", str(tmp_path / "solved.json"))
    assert solved.returncode == 0, solved.stdout + solved.stderr
    for name, score in (("stubs.json", 0), ("solved.json", None)):
        report = json.loads((tmp_path / name).read_text())
        checks = report["lessons"][0]["checks"]
        assert {c["check"] for c in checks} == public
        assert report["score"] == (report["max_score"] if score is None else score)
    refused = in_release(release, "grade", "--solutions")
    assert refused.returncode == 2 and "no solutions/" in refused.stderr


def test_release_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "mine.txt").write_text("keep me")
    done = practice("release", str(tmp_path))
    assert done.returncode == 2 and "not an empty folder" in done.stderr
    assert (tmp_path / "mine.txt").read_text() == "keep me"


def test_the_grading_workflow_is_valid_and_runs_commands_that_exist():
    workflow = yaml.safe_load(WORKFLOW.read_text())
    steps = workflow["jobs"]["grade"]["steps"]
    runs = "\n".join(step["run"] for step in steps if "run" in step)
    targets = set(re.findall(r"^([a-z]+):", (ROOT / "templates" / "release" / "Makefile").read_text(), re.M))
    for target in re.findall(r"\bmake (\w+)", runs):
        assert target in targets, f"the workflow runs `make {target}`, which the release Makefile lacks"
    options = {opt for param in grade_command.params for opt in param.opts}
    graded = re.findall(r"practice grade ([^|\n]*)", runs)
    assert graded, "the workflow never grades"
    for command in graded:
        for option in re.findall(r"(--?[\w-]+)", command):
            assert option in options, f"`practice grade` has no option {option}"
    uploaded = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact"))["with"]["path"]
    for written in ("results.json", "junit.xml"):
        assert written in graded[0] and written in uploaded
    assert "--strict" in graded[0]
    assert "GITHUB_STEP_SUMMARY" in runs
