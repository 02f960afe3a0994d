"""A submission's text never reaches the teacher's terminal or the grader's
files raw: escape sequences it prints or raises (screen clears, fake green
lines, OSC 52 clipboard writes, C1 controls), folder names that would forge a
gradebook row, and cells a spreadsheet would run as formulas.

Every run here reads the grader's output as bytes: text mode would turn a raw
carriage return into a newline and hide it.
"""

from __future__ import annotations

import csv
import json
import os
import re
import select
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import DATA, ROOT

from grader import text
from grader.lessons import find
from grader.watch import grade_summary

L04 = find("l04_linear_model")
# clear the screen, paint a fake green pass, write the clipboard (OSC 52, ended by BEL and by ST),
# a C1 CSI (U+009B), and a carriage return that would overwrite the line
HOSTILE = "\x1b[2J\x1b[H\x1b[32mPASS l04 8/8\x1b[0m\x1b]52;c;aGFja2Vk\x07\x9b31m\rFAKE\x1b]52;c;aGk=\x1b\\"
FORMULA = '=HYPERLINK("evil.test","click")'
# mse_surface's two checks (3 points) fail on the error; forward and loss print but are right
LOUD_L04 = f"""
import sys

HOSTILE = {HOSTILE!r}
_forward = forward


def forward(x, w):
    print({FORMULA!r} + HOSTILE)
    sys.stderr.write(HOSTILE + "\\n")
    return _forward(x, w)


def mse_surface(xs, ys, W, B):
    print({FORMULA!r} + HOSTILE)
    raise ValueError({FORMULA!r} + HOSTILE)
"""
HONEST_SCORE = L04.points - 3
# what may never appear raw: every C0 control but tab and newline, DEL, the C1 controls
RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# The only escape sequences the grader writes itself, on a terminal only: grade-all's
# progress bar (click's) hides the cursor while it draws and shows it again after.
# (Training checks also redraw their progress line with "\r\x1b[K"; l04 has none.)
# The score table and the summary have no colours.
OWN_CODES = ("\x1b[?25l", "\x1b[?25h")


def run(*args: str, terminal: bool = False, timeout: float = 300) -> tuple[int, str]:
    """`practice ARGS`; its exit status and its stdout and stderr together, decoded
    but otherwise as written (on a pseudo-terminal when ``terminal``, as a teacher sees it)."""
    env = {**os.environ, "TORCH_PRACTICE_DATA": str(DATA), "COLUMNS": "200"}
    command = [sys.executable, "-m", "grader", *args]
    if not terminal:
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, timeout=timeout)
        return done.returncode, (done.stdout + done.stderr).decode("utf-8", "surrogateescape")
    ours, theirs = os.openpty()
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=theirs, stderr=theirs)
    os.close(theirs)
    written, deadline = bytearray(), time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            if select.select([ours], [], [], 1)[0]:
                try:
                    chunk = os.read(ours, 1 << 16)
                except OSError:  # EIO: every writer has closed the terminal
                    break
                if not chunk:
                    break
                written += chunk
    finally:
        os.close(ours)
        proc.kill() if proc.poll() is None else None
    return proc.wait(), written.decode("utf-8", "surrogateescape")


def raw_controls(shown: str, terminal: bool = False) -> list[str]:
    """The control characters in ``shown`` that the grader did not write itself."""
    if terminal:  # a terminal's line ends are \r\n, and the progress bar redraws its line with \r
        for code in OWN_CODES:
            shown = shown.replace(code, "")
        shown = shown.replace("\r", "")
    return RAW_CONTROL.findall(shown)


def strings(value) -> list[str]:
    """Every string in a parsed JSON value, keys included."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in [k, *strings(v)]]
    if isinstance(value, list):
        return [s for item in value for s in strings(item)]
    return []


def xml_strings(path: Path) -> list[str]:
    """Every text and attribute value of an XML file (parsing fails on raw control characters)."""
    root = ET.parse(path).getroot()
    return [s for element in root.iter() for s in [element.text or "", element.tail or "", *element.attrib.values()]]


def loud_submission(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / f"{L04.id}.py").write_text((ROOT / "solutions" / f"{L04.id}.py").read_text() + LOUD_L04)
    return folder


# -- the text functions ---------------------------------------------------------
def test_clean_shows_control_characters_as_escapes_and_keeps_lines_and_tabs():
    assert text.clean("a\x1b[2Jb\x07\x9b1m") == "a\\x1b[2Jb\\x07\\x9b1m"
    assert text.clean("one\ttwo\nthree\r\nfour") == "one\ttwo\nthree\nfour"  # Windows line ends are line ends
    assert text.clean("FAIL\rok  ") == "FAIL\\x0dok  "  # a lone CR would overwrite the line
    assert text.clean("\x7f\x00\u202eevil\u2028") == "\\x7f\\x00\\u202eevil\\u2028"
    assert text.clean("名前 café ✓") == "名前 café ✓"  # printable text is left alone


def test_name_is_one_line():
    assert text.name("eve\nmallory  8/8  ok") == "eve\\x0amallory  8/8  ok"
    assert text.name("a\tb\rc\x1b") == "a\\x09b\\x0dc\\x1b"
    assert text.name(os.fsdecode(b"bad\xffbyte")) == "bad\\udcffbyte"  # an undecodable byte in a folder name


@pytest.mark.parametrize("hostile", [HOSTILE, "x\r\ny", "\\x1b", "\u202e\ud800"])
def test_cleaning_twice_changes_nothing(hostile):
    for neutralise in (text.clean, text.name):
        once = neutralise(hostile)
        assert neutralise(once) == once and not RAW_CONTROL.search(once)


def test_csv_cells_that_a_spreadsheet_would_run_are_text():
    for formula in ("=1+2", "+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1", FORMULA):
        assert text.csv_cell(formula) == "'" + formula
    assert [text.csv_cell(v) for v in ("bob", "ok", " =1", 8, -1, 0.5)] == ["bob", "ok", " =1", 8, -1, 0.5]


# -- practice grade ---------------------------------------------------------------
def test_grade_shows_and_stores_printed_and_raised_escapes_as_text(tmp_path):
    folder = loud_submission(tmp_path / "loud")
    files = {name: tmp_path / name for name in ("report.json", "junit.xml", "results.json")}
    code, shown = run(
        "grade",
        L04.id,
        "--submission",
        str(folder),
        "--json",
        str(files["report.json"]),
        "--junit",
        str(files["junit.xml"]),
        "--gradescope",
        str(files["results.json"]),
    )
    assert code == 1, shown
    report = json.loads(files["report.json"].read_text(encoding="utf-8"))
    gradescope = json.loads(files["results.json"].read_text(encoding="utf-8"))
    assert report["score"] == gradescope["score"] == HONEST_SCORE
    assert raw_controls(shown) == []
    assert [s for s in strings(report) + strings(gradescope) + xml_strings(files["junit.xml"]) if raw_controls(s)] == []
    # the teacher still sees what the code did, as visible escapes
    assert f"{FORMULA}\\x1b[2J\\x1b[H\\x1b[32mPASS l04 8/8" in shown
    checks = {c["check"]: c for c in report["lessons"][0]["checks"]}
    assert "\\x1b]52;c;aGFja2Vk\\x07\\x9b31m\\x0dFAKE" in checks["test_forward_multiplies_x_by_w"]["output"]
    assert not any(line.startswith(("PASS", "FAKE")) for line in shown.splitlines())
    # Gradescope shows every output and name as plain text
    assert (gradescope["output_format"], gradescope["test_output_format"], gradescope["test_name_format"]) == (
        "text",
    ) * 3
    assert {(t["output_format"], t["name_format"]) for t in gradescope["tests"]} == {("text", "text")}


def test_verbose_grade_shows_pytests_account_as_text(tmp_path):
    code, shown = run("grade", L04.id, "-v", "--submission", str(loud_submission(tmp_path / "loud")))
    assert code == 1, shown
    assert "StudentError: ValueError" in shown  # pytest's own failure report is there
    assert raw_controls(shown) == []


def test_watch_shows_the_first_failure_as_text(tmp_path):
    shown = grade_summary(L04, ("--submission", str(loud_submission(tmp_path / "loud"))))
    assert shown.startswith(f"{L04.id}  {HONEST_SCORE}/{L04.points} points")
    assert "\\x1b[2J" in shown and raw_controls(shown) == []
    missing = grade_summary(L04, ("--submission", str(tmp_path / f"gone{HOSTILE}")))  # the grader's error message
    assert missing.startswith("error: submission path") and "gone\\x1b[2J" in missing
    assert raw_controls(missing) == []


# -- practice grade-all -----------------------------------------------------------
FORGED = "eve\nmallory"  # with full marks, prints "eve" and then "mallory  8/8  ok", a row of its own
ESCAPED = "zed\x1b[2J\x1b]52;c;aGk=\x07\x9b31m\rFAKE\x1b\\"  # a folder named with escapes ("/" is not allowed)


def test_grade_all_keeps_names_on_their_row_and_csv_cells_as_text(tmp_path):
    folder = tmp_path / "subs"
    loud_submission(folder / FORMULA)
    for name, base in ((FORGED, "solutions"), (ESCAPED, "exercises")):
        (folder / name).mkdir()
        (folder / name / f"{L04.id}.py").write_text((ROOT / base / f"{L04.id}.py").read_text())
    (folder / "notes\x1b[2J\x07.txt").write_text("not a submission")
    book, gradescope = tmp_path / "book.csv", tmp_path / "gradescope"
    code, shown = run(
        "grade-all",
        str(folder),
        L04.id,
        "--workers",
        "2",
        "--timeout",
        "60",
        "--csv",
        str(book),
        "--gradescope-dir",
        str(gradescope),
        terminal=True,
    )
    assert code == 0, shown
    # on the terminal (summary, progress bar, ignored entries): no escape but the progress bar's own
    assert raw_controls(shown, terminal=True) == []
    assert "ignored 1 entries" in shown and "notes\\x1b[2J\\x07.txt" in shown
    lines = [line.split() for line in shown.replace("\r", "\n").splitlines()]
    assert not [line for line in lines if line[:1] == ["mallory"]]  # the forged row is not a row
    assert ["eve\\x0amallory", f"{L04.points}/{L04.points}", "ok"] in lines  # it is part of eve's name
    # the gradebook: one line per submission, names as text, formulas as text, scores as numbers
    written = book.read_text(encoding="utf-8")
    assert raw_controls(written.replace("\r\n", "\n")) == [] and len(written.splitlines()) == 4
    rows = list(csv.reader(written.splitlines()))
    assert rows == [
        ["submission", L04.id, "total", "max_score", "status"],
        ["'" + FORMULA, *[str(HONEST_SCORE)] * 2, str(L04.points), "ok"],
        [text.name(FORGED), *[str(L04.points)] * 3, "ok"],
        [text.name(ESCAPED), "0", "0", str(L04.points), "ok"],
    ]
    loud = json.loads((gradescope / FORMULA / "results.json").read_text(encoding="utf-8"))
    assert loud["score"] == HONEST_SCORE and loud["output_format"] == "text"
    assert [s for s in strings(loud) if raw_controls(s)] == []
