"""The student's commands: list, next, hint, reset and watch. Each test runs
the CLI in a copy of the repository, so progress files and exercises of the
real checkout are never touched."""

from __future__ import annotations

import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import DATA, ROOT, practice

from grader import catalog
from grader.lessons import LESSONS, find
from grader.watch import Watcher

L04 = find("l04_linear_model")


@pytest.fixture
def workspace(tmp_path) -> Path:
    """A copy of the repository's code and lessons: the CLI run inside it keeps its state there."""
    ws = tmp_path / "course"
    for folder in ("grader", "exercises", "solutions"):
        shutil.copytree(ROOT / folder, ws / folder, ignore=shutil.ignore_patterns("__pycache__"))
    return ws


def results(ws: Path, **lessons: dict) -> None:
    (ws / ".practice").mkdir(exist_ok=True)
    (ws / ".practice" / "results.json").write_text(json.dumps(lessons))


def full(lesson_id: str) -> dict:
    return {"score": find(lesson_id).points, "max_score": find(lesson_id).points, "failed": []}


def solve(ws: Path, *lesson_ids: str) -> None:
    """The lessons' files are no longer the stubs: the student worked on them."""
    for lesson_id in lesson_ids:
        shutil.copy(ws / "solutions" / f"{lesson_id}.py", ws / "exercises" / f"{lesson_id}.py")


def test_list_marks_finished_and_started_lessons_and_names_the_next(workspace):
    solve(workspace, "l01_tensors", "l02_data_as_tensors")
    results(
        workspace,
        l01_tensors=full("l01_tensors"),
        l02_data_as_tensors={"score": 5, "max_score": 22, "failed": ["test_x"]},
    )
    done = practice("list", cwd=workspace)
    assert done.returncode == 0, done.stderr
    rows = {le.id: line for line in done.stdout.splitlines() for le in LESSONS if line[2:].startswith(le.id + " ")}
    assert rows["l01_tensors"].startswith("✓") and "21/21" in rows["l01_tensors"]
    assert (
        rows["l02_data_as_tensors"].startswith("•")
        and f"5/{find('l02_data_as_tensors').points}" in rows["l02_data_as_tensors"]
    )
    assert rows["l03_autograd"].startswith(" ") and " - " in rows["l03_autograd"]
    assert len(rows) == len(LESSONS)
    assert "next: l02_data_as_tensors" in done.stdout


def test_list_does_not_import_torch_and_survives_a_damaged_progress_file(workspace):
    (workspace / ".practice").mkdir()
    (workspace / ".practice" / "results.json").write_text("{not json")
    code = (
        "import sys; from grader.cli import main; sys.argv = ['practice', 'list']\n"
        "try: main()\nexcept SystemExit as e: assert not e.code, e.code\n"
        "assert 'torch' not in sys.modules, 'practice list imported torch'"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=workspace, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "next: l01_tensors" in done.stdout


def test_next_names_the_first_unfinished_lesson_and_its_file(workspace):
    solve(workspace, "l01_tensors", "l02_data_as_tensors", "l03_autograd")
    results(
        workspace,
        l01_tensors=full("l01_tensors"),
        l02_data_as_tensors=full("l02_data_as_tensors"),
        l03_autograd={"score": 20, "max_score": 23, "failed": []},
    )
    done = practice("next", cwd=workspace)
    assert "next: l03_autograd" in done.stdout and "20/23 points last time" in done.stdout
    assert "file: exercises/l03_autograd.py" in done.stdout


def test_next_congratulates_when_every_lesson_is_done(workspace):
    solve(workspace, *(lesson.id for lesson in LESSONS))
    results(workspace, **{lesson.id: full(lesson.id) for lesson in LESSONS})
    done = practice("next", cwd=workspace)
    assert done.returncode == 0 and "Every lesson is at full marks" in done.stdout


def test_a_lesson_still_the_stub_is_not_started_whatever_was_graded(workspace):
    """Issue 17 item 4: a fresh `make grade` recorded 0/N for every stub; none was "started"."""
    solve(workspace, "l01_tensors")
    results(
        workspace, **{lesson.id: {"score": 0, "max_score": lesson.points, "failed": ["test_x"]} for lesson in LESSONS}
    )
    rows = practice("list", cwd=workspace).stdout.splitlines()
    started = [line[2:].split()[0] for line in rows if line.startswith("•")]
    assert started == ["l01_tensors"], rows
    assert any(line.startswith("  l02_data_as_tensors") and " - " in line for line in rows)
    results(workspace, l01_tensors=full("l01_tensors"), l02_data_as_tensors={"score": 0, "failed": ["test_x"]})
    shown = practice("next", cwd=workspace).stdout
    assert "next: l02_data_as_tensors" in shown and "points, not started" in shown, shown


def test_gpu_points_do_not_hold_back_done_and_are_shown_apart(workspace):
    """Issue 17 item 3: with the l11 reference on a CPU, `list` showed • 42/43 and `next` came back to l11."""
    solve(workspace, *(lesson.id for lesson in LESSONS))
    last = {lesson.id: full(lesson.id) for lesson in LESSONS}
    l11 = find("l11_mlp_regularization").points
    last["l11_mlp_regularization"] = {"score": l11 - 1, "max_score": l11 - 1, "needs_gpu": 1, "failed": []}
    results(workspace, **last)
    listed = practice("list", cwd=workspace).stdout
    [row] = [line for line in listed.splitlines() if "l11_mlp_regularization" in line]
    assert row.startswith("✓") and f"{l11 - 1}/{l11}" in row and row.endswith("(1 pt needs a GPU)"), row
    assert "every lesson is at full marks" in listed
    assert "Every lesson is at full marks" in practice("next", cwd=workspace).stdout
    last["l11_mlp_regularization"]["needs_gpu"] = 0  # a point lost, not a GPU missing: not done
    results(workspace, **last)
    assert "next: l11_mlp_regularization" in practice("next", cwd=workspace).stdout


def test_each_hint_call_reveals_the_next_hint_of_the_lesson(workspace):
    lesson = LESSONS[9]
    shown = [practice("hint", lesson.id[:3], cwd=workspace).stdout for _ in range(len(lesson.hints) + 1)]
    for number, text in enumerate(lesson.hints, start=1):
        assert f"hint {number}/{len(lesson.hints)}" in shown[number - 1] and text in shown[number - 1]
    assert lesson.hints[-1] in shown[-1] and "that was the last one" in shown[-1]


def test_hints_of_a_check_are_counted_apart_from_the_lesson(workspace):
    lesson = LESSONS[9]
    check = next(c for c in catalog.lesson_checks(lesson) if len(c.hints) >= 2)
    short = check.name.removeprefix("test_")
    practice("hint", lesson.id, cwd=workspace)
    first, second = (practice("hint", lesson.id, short, cwd=workspace).stdout for _ in range(2))
    assert check.hints[0] in first and f"hint 1/{len(check.hints)}" in first
    assert check.hints[1] in second and check.hints[0] not in second


def test_a_lesson_hint_points_at_the_first_failing_check(workspace):
    failing = catalog.lesson_checks(L04)[1].name
    results(workspace, l04_linear_model={"score": 1, "max_score": 8, "failed": [failing]})
    done = practice("hint", "l04", cwd=workspace)
    assert f"practice hint l04_linear_model {failing.removeprefix('test_')}" in done.stdout


def test_a_check_renamed_since_the_last_grade_is_skipped_not_looked_up(workspace):
    failing = catalog.lesson_checks(L04)[1].name
    results(workspace, l04_linear_model={"score": 1, "max_score": 8, "failed": ["test_renamed_since", failing]})
    done = practice("hint", "l04", cwd=workspace)
    assert done.returncode == 0, done.stderr
    assert f"practice hint l04_linear_model {failing.removeprefix('test_')}" in done.stdout
    assert "renamed_since" not in done.stdout


def test_an_unknown_check_suggests_the_closest(workspace):
    done = practice("hint", "l04", "forward_multiplies_x_by_v", cwd=workspace)
    assert done.returncode == 2 and "did you mean forward_multiplies_x_by_w?" in done.stderr


def test_reset_asks_first_and_keeps_a_backup(workspace):
    path = workspace / "exercises" / "l04_linear_model.py"
    stub = path.read_text()
    mine = stub.replace('raise NotImplementedError("forward")', "return x * w  # my work")
    path.write_text(mine)
    refused = subprocess.run(
        [sys.executable, "-m", "grader", "reset", "l04"], cwd=workspace, input="n\n", capture_output=True, text=True
    )
    assert "nothing changed" in refused.stdout and path.read_text() == mine
    accepted = subprocess.run(
        [sys.executable, "-m", "grader", "reset", "l04"], cwd=workspace, input="y\n", capture_output=True, text=True
    )
    assert accepted.returncode == 0, accepted.stderr
    assert path.read_text() == stub
    [backup] = (workspace / ".practice" / "backup").glob("l04_linear_model-*.py")
    assert backup.read_text() == mine and str(backup.relative_to(workspace)) in accepted.stdout
    again = practice("reset", "l04", "--yes", cwd=workspace)
    assert "already the stub" in again.stdout


def test_reset_forgets_the_lessons_last_score(workspace):
    """Issue 17 item 4: after `practice reset`, `practice list` still showed ✓ 13/13."""
    solve(workspace, "l04_linear_model")
    results(workspace, l04_linear_model=full("l04_linear_model"), l01_tensors=full("l01_tensors"))
    assert practice("reset", "l04", "--yes", cwd=workspace).returncode == 0
    kept = json.loads((workspace / ".practice" / "results.json").read_text())
    assert list(kept) == ["l01_tensors"]
    [row] = [line for line in practice("list", cwd=workspace).stdout.splitlines() if "l04_linear_model" in line]
    assert row.startswith("  l04_linear_model") and " - " in row, row


# -- watch ----------------------------------------------------------------------
class FakeGrader:
    def __init__(self) -> None:
        self.graded: list[str] = []

    def __call__(self, lesson, **_) -> str:  # stale and show: a fake grading is never stopped
        self.graded.append(lesson.id)
        return f"{lesson.id} graded"


def watcher(tmp_path: Path, lesson=L04) -> tuple[Watcher, FakeGrader, list[str]]:
    (tmp_path / f"{lesson.id}.py").write_text("# stub\n")
    fake, shown = FakeGrader(), []
    return Watcher(lesson, grade=fake, echo=shown.append, exercises=tmp_path), fake, shown


def test_watch_sees_each_save_once(tmp_path):
    watch, _, _ = watcher(tmp_path)
    assert not watch.changed()
    os.utime(watch.path, ns=(0, 10**18))  # a save: a new modification time
    assert watch.changed() and not watch.changed()
    watch.path.write_text("# stub\n# more\n")
    assert watch.changed()


def test_watch_keys_grade_again_move_on_and_quit(tmp_path, monkeypatch):
    monkeypatch.setattr("grader.progress.RESULTS", tmp_path / "results.json")
    watch, fake, shown = watcher(tmp_path)
    (tmp_path / "l05_gradient_descent.py").write_text("")
    watch.key("g")
    watch.key("n")
    assert fake.graded == ["l04_linear_model", "l05_gradient_descent"] and watch.lesson.id == "l05_gradient_descent"
    watch.key("what")
    assert "unknown key 'what'" in shown[-1]
    watch.key("q")
    assert not watch.running


def test_watch_run_grades_at_start_and_stops_at_q_or_end_of_input(tmp_path):
    watch, fake, shown = watcher(tmp_path)
    read, write = os.pipe()
    os.write(write, b"\nq\n")
    os.close(write)
    with os.fdopen(read) as keys:
        watch.run(keys, interval=0.01)
    assert fake.graded == ["l04_linear_model"] * 2 and shown[-1] == "stopped watching"


def lines_of(stream) -> queue.Queue[str]:
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in stream], daemon=True).start()
    return lines


def wait_for(lines: queue.Queue[str], text: str, seconds: float = 120) -> str:
    seen, deadline = [], time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=1)
        except queue.Empty:
            continue
        seen.append(line)
        if text in line:
            return "".join(seen)
    raise AssertionError(f"no {text!r} within {seconds} s; watch printed:\n{''.join(seen)}")


@pytest.mark.slow
def test_watch_regrades_on_save_and_stops_cleanly_on_ctrl_c(workspace):
    proc = subprocess.Popen(
        [sys.executable, "-m", "grader", "watch", "l04", "--interval", "0.2"],
        cwd=workspace,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "TORCH_PRACTICE_DATA": str(DATA)},
    )
    try:
        lines = lines_of(proc.stdout)
        first = wait_for(lines, "to grade again")
        assert f"l04_linear_model  0/{L04.points} points" in first and "first failing check" in first
        shutil.copy(ROOT / "solutions" / "l04_linear_model.py", workspace / "exercises" / "l04_linear_model.py")
        second = wait_for(lines, "to grade again")
        assert f"l04_linear_model  {L04.points}/{L04.points} points  done" in second
        assert "press n then Enter for the next lesson" in second
        proc.send_signal(signal.SIGINT)
        wait_for(lines, "stopped watching", 30)
        assert proc.wait(timeout=30) == 0
    finally:
        proc.kill()
    saved = json.loads((workspace / ".practice" / "results.json").read_text())
    assert saved["l04_linear_model"]["score"] == L04.points
