"""``make readme`` (``python -m grader.readme``): the README's lesson table,
generated from the course file (``grader/lessons.py``) and the points of each
suite, written between two marker lines of ``README.md``. A test fails when
the committed table is stale."""

from __future__ import annotations

import sys

from grader.lessons import LESSONS, ROOT, Lesson

README = ROOT / "README.md"
BEGIN = "<!-- lessons: generated from grader/lessons.py by `make readme`; do not edit by hand -->"
END = "<!-- end of lessons -->"


class MarkersMissing(ValueError):
    pass


def _cell(text: str) -> str:
    """Text for one table cell: a ``|`` would end the cell."""
    return text.replace("|", "\\|")


def table(lessons: tuple[Lesson, ...] = LESSONS) -> str:
    """The lesson table in Markdown, one row per lesson in course order."""
    rows = ["| lesson | title | what it covers | follows | points |", "|---|---|---|---|---|"]
    rows += [
        f"| `{le.id}` | {_cell(le.title)} | {_cell(le.topic)} | {_cell(le.sources)} | {le.points} |" for le in lessons
    ]
    return "\n".join(rows) + "\n"


def with_table(readme: str, lessons: tuple[Lesson, ...] = LESSONS) -> str:
    """``readme`` with the text between the marker lines replaced by the current table."""
    before, begin, rest = readme.partition(BEGIN + "\n")
    _, end, after = rest.partition(END)
    if not begin or not end:
        raise MarkersMissing(f"README.md needs the lines {BEGIN!r} and {END!r} around the lesson table")
    return before + begin + table(lessons) + end + after


def main() -> None:
    try:
        text = with_table(README.read_text(encoding="utf-8"))
    except MarkersMissing as exc:
        sys.exit(f"error: {exc}")
    if text != README.read_text(encoding="utf-8"):
        README.write_text(text, encoding="utf-8")
        print(f"wrote the lesson table of {README.name}")
    else:
        print(f"the lesson table of {README.name} is up to date")


if __name__ == "__main__":
    main()
