"""The course file (grader/lessons.py) and what is derived from it: each lesson
fact is written once. Points come from the suites' checks, read by the catalog
exactly as pytest reads them; the README's lesson table is generated; every
lesson has its files and every lesson file has its row. All fast: nothing trains."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT

from grader import catalog, readme
from grader.lessons import LESSONS, SUITES

# pytest's own view of the suites: collected (imported, not run) with the suites' pytest.ini
COLLECT = f"""
import json, pytest

class Marks:
    found = []

    def pytest_configure(self, config):
        for name in ("points", "public", "training", "shape_check", "hints", "gpu"):
            config.addinivalue_line("markers", name)

    def pytest_collection_modifyitems(self, items):
        for item in items:
            names = ("points", "public", "training", "shape_check", "hints")
            marks = {{name: item.get_closest_marker(name) for name in names}}
            self.found.append({{
                "lesson": item.module.__name__.rpartition(".")[2].removeprefix("test_"),
                "name": item.name,
                "points": marks["points"].args[0] if marks["points"] else None,
                "public": marks["public"] is not None,
                "training": marks["training"] is not None,
                "shape_check": marks["shape_check"] is not None,
                "hints": list(marks["hints"].args) if marks["hints"] else [],
            }})

code = pytest.main([{str(SUITES)!r}, "--collect-only", "-p", "no:cacheprovider", "-p", "no:terminal",
                    "-c", {str(SUITES / "pytest.ini")!r}, "--rootdir", {str(SUITES)!r}], plugins=[Marks()])
print(json.dumps({{"code": int(code), "checks": Marks.found}}))
"""


def test_the_catalog_reads_every_check_as_pytest_collects_it():
    """``practice list`` and the README show the catalog's points (read with ast, no torch); grading reports
    the points pytest collects. They must be the same checks with the same points, marks and hints."""
    done = subprocess.run([sys.executable, "-c", COLLECT], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    collected = json.loads(done.stdout.splitlines()[-1])
    assert collected["code"] == 0, done.stdout
    by_pytest = [
        (c["lesson"], c["name"], c["points"], c["public"], c["training"], c["shape_check"], tuple(c["hints"]))
        for c in collected["checks"]
    ]
    by_catalog = [
        (le.id, c.name, c.points, c.public, c.training, c.shape_check, c.hints)
        for le in LESSONS
        for c in catalog.lesson_checks(le)
    ]
    assert by_catalog == by_pytest
    for lesson in LESSONS:
        assert lesson.points == sum(c[2] for c in by_pytest if c[0] == lesson.id) > 0, lesson.id


def test_the_readme_lesson_table_is_current():
    text = readme.README.read_text(encoding="utf-8")
    assert readme.with_table(text) == text, "README.md's lesson table is stale: run `make readme` and commit"
    for lesson in LESSONS:
        assert f"| `{lesson.id}` | {lesson.title} |" in text and f"| {lesson.points} |" in text


def test_every_lesson_has_its_files_and_every_lesson_file_has_a_row():
    ids = [lesson.id for lesson in LESSONS]
    assert ids == sorted(ids) and len(set(ids)) == len(ids), "lessons are listed once, in course order"
    for lesson in LESSONS:
        for path in (ROOT / "solutions" / f"{lesson.id}.py", ROOT / "exercises" / f"{lesson.id}.py", lesson.suite):
            assert path.is_file(), f"{lesson.id} has no {path.relative_to(ROOT)}"
        assert list((ROOT / "tests" / "mutants" / lesson.id).glob("*.py")), f"{lesson.id} has no mutants"
        if any(c.training for c in catalog.lesson_checks(lesson)):
            assert (ROOT / "grader" / "drivers" / f"{lesson.id}.py").is_file(), f"{lesson.id} trains: no driver"
        assert len(lesson.hints) >= 2, f"{lesson.id} needs at least two lesson hints"
        assert lesson.title and lesson.topic and lesson.sources, f"{lesson.id}: title, topic and sources"
    known = set(ids)
    files = {
        "solutions/": {p.stem for p in (ROOT / "solutions").glob("l*.py")},
        "exercises/": {p.stem for p in (ROOT / "exercises").glob("l*.py")},
        "grader/suites/": {p.stem.removeprefix("test_") for p in SUITES.glob("test_l*.py")},
        "grader/drivers/": {p.stem for p in (ROOT / "grader" / "drivers").glob("l*.py")},
        "tests/mutants/": {p.name for p in (ROOT / "tests" / "mutants").glob("l*") if p.is_dir()},
    }
    for where, stems in files.items():
        assert stems <= known, f"{where} has files of lessons grader/lessons.py lacks: {sorted(stems - known)}"


def test_lesson_datasets_are_ones_the_data_layer_knows():
    from grader import data  # imports torch: only this test needs it

    known = set(data.IMAGE_DATASETS) | set(data.COURSE_FILES)
    for lesson in LESSONS:
        assert set(lesson.datasets) <= known, f"{lesson.id} names unknown datasets"
