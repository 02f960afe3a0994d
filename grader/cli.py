"""The ``practice`` command: list lessons, grade them, build the exercises.

Heavy imports (torch, pytest) happen inside the commands that need them, so
``practice list`` starts instantly.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import sys
import tempfile
import time
from contextlib import nullcontext
from pathlib import Path

import click

from grader import progress, report, text
from grader.lessons import LESSONS, ROOT, Lesson, UnknownLesson, checkout_around, find, lesson_of_file
from grader.submission import MAX_FILE_BYTES, size_text


def fail(message: str) -> None:
    """Print one clear sentence and exit with status 2 (bad input). It may name a
    student's file or quote its notebook: control characters are shown as escapes."""
    click.echo(f"error: {text.clean(message)}", err=True)
    sys.exit(2)


def shown_path(path: Path) -> Path:
    """``path`` relative to the current folder when it is inside it."""
    return path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path


def find_lesson(name: str) -> Lesson:
    try:
        return find(name)
    except UnknownLesson as exc:
        fail(str(exc))


def pick_lessons(names: tuple[str, ...], submission: Path | None) -> list[Lesson]:
    if names:
        return [find_lesson(name) for name in names]
    if submission is not None and not submission.is_dir():  # one file (a link or a FIFO is refused when graded)
        lesson = lesson_of_file(submission)
        if lesson is None:
            fail(
                f"cannot tell which lesson {submission.name} is: name the file after the lesson "
                f"(one of {', '.join(le.id + '.py' for le in LESSONS)}) or name the lesson on the command line"
            )
        return [lesson]
    return list(LESSONS)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """torch-practice: learn PyTorch by filling stubs until the grader says 100%."""
    refuse_another_checkout()


def refuse_another_checkout() -> None:
    """Exit 2 when the current folder is inside a course checkout other than the one
    this grader grades: an environment installed from one clone would otherwise grade
    (and print the lesson files of) that clone, whichever clone the student is in."""
    try:
        here = checkout_around(Path.cwd())
    except OSError:  # a current folder that was removed: nothing to compare
        return
    if here is None or here == ROOT.resolve():
        return
    fail(
        f"you are in the course checkout {here}, but this `practice` grades {ROOT}. "
        f"To grade {here}: run `make install` there and use its own environment's `practice`, or run "
        f"`python -m grader ...` from {here} (it grades the checkout it is run from). "
        f"To grade {ROOT}: cd into it."
    )


class MemorySize(click.ParamType):
    """``16G``, ``512M``, ``2.5GiB`` or ``none`` -> bytes (0 for no limit)."""

    name = "size"
    UNITS = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}

    def convert(self, value, param, ctx):  # noqa: ANN001 - click's signature
        if isinstance(value, int):
            return value
        if value.strip().lower() == "none":
            return 0
        match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(?:i?B)?\s*", value, re.IGNORECASE)
        if not match or float(match[1]) == 0:
            self.fail(f"{value!r} is not a memory size like 16G, 512M or none", param, ctx)
        return int(float(match[1]) * self.UNITS[match[2].upper()])


max_file_size_option = click.option(  # for grade and grade-all
    "--max-file-size",
    type=MemorySize(),
    default=MAX_FILE_BYTES,
    help=f"Largest lesson file or notebook read, e.g. 8M (default {size_text(MAX_FILE_BYTES)}); "
    "larger ones are refused.",
)

threads_option = click.option(  # for grade, watch and grade-all
    "--threads",
    type=click.IntRange(min=1),
    help="torch threads of the process running the code (default $OMP_NUM_THREADS, else the usable CPUs; "
    "grade-all: divided among --workers).",
)

hidden_visibility_option = click.option(  # for grade and grade-all
    "--hidden-visibility",
    type=click.Choice(report.HIDDEN_VISIBILITIES),
    default="after_published",
    show_default=True,
    help="When Gradescope shows students the hidden checks (public checks and the total are always visible).",
)


@main.command("list")
def list_lessons() -> None:
    """Lessons with your last score: ✓ done, • started (its file is no longer the stub)."""
    last = progress.results()
    for lesson in LESSONS:
        result = None if progress.untouched(lesson) else last.get(lesson.id)
        score = result["score"] if result else 0
        mark = "✓" if result and progress.is_done(lesson, last) else "•" if result else " "
        filled = round(10 * score / lesson.points) if lesson.points else 0
        shown = f"{score}/{lesson.points}" if result else "-"
        gpu = result.get("needs_gpu", 0) if result else 0
        apart = f"  ({report.gpu_text(gpu)})" if gpu else ""
        click.echo(f"{mark} {lesson.id:25} {shown:>6}  {'█' * filled}{'░' * (10 - filled)}  {lesson.title}{apart}")
    upcoming = progress.next_lesson(last)
    click.echo(f"\nnext: {upcoming.id} (practice next)" if upcoming else f"\n{all_done()}")


def all_done() -> str:
    """What `list` and `next` say when every lesson is done: in a student release, only
    the public checks were graded (issue 17 item 8: never "full marks" for those)."""
    from grader import release

    if release.HIDDEN.is_file():
        return "every lesson's public checks pass (the course grades more checks than this release holds)"
    return "every lesson is at full marks"


@main.command("next")
def next_lesson() -> None:
    """The next lesson to work on (the first not at full marks) and its file."""
    last = progress.results()
    lesson = progress.next_lesson(last)
    if lesson is None:
        click.echo(f"{all_done().capitalize()}. 恭喜! Grade them all once more with `practice grade`.")
        return
    result = None if progress.untouched(lesson) else last.get(lesson.id)
    scored = f"{result['score']}/{lesson.points} points last time" if result else f"{lesson.points} points, not started"
    click.echo(f"next: {lesson.id} · {lesson.title} ({scored})")
    click.echo(f"file: {shown_path(ROOT / 'exercises' / f'{lesson.id}.py')}")
    click.echo(f"grade it: practice grade {lesson.id}   watch it: practice watch   stuck: practice hint {lesson.id}")


@main.command()
@click.argument("lesson")
@click.argument("check", required=False)
def hint(lesson: str, check: str | None) -> None:
    """The next hint for LESSON, or for one of its CHECKs (each call reveals one more)."""
    from grader.catalog import UnknownCheck
    from grader.hints import next_hint

    try:
        click.echo(next_hint(find_lesson(lesson), check))
    except UnknownCheck as exc:
        fail(str(exc))


@main.command()
@click.argument("lesson")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def reset(lesson: str, yes: bool) -> None:
    """Put the stub of LESSON back in exercises/, keeping a backup of your version."""
    from grader.build import stub

    chosen = find_lesson(lesson)
    path = ROOT / "exercises" / f"{chosen.id}.py"
    pristine = stub(chosen.id)
    if path.exists() and path.read_text(encoding="utf-8") == pristine:
        click.echo(f"{path.name} is already the stub: nothing to reset")
        return
    backup = progress.BACKUPS / f"{chosen.id}-{time.strftime('%Y%m%d-%H%M%S')}.py"
    if not yes and not click.confirm(
        f"Reset {shown_path(path)} to the stub? Your version is kept in {shown_path(backup)}", default=False
    ):
        click.echo("nothing changed")
        return
    if path.exists():
        backup.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, backup)
        click.echo(f"your version is saved as {shown_path(backup)}")
    path.write_text(pristine, encoding="utf-8")
    progress.forget(chosen)
    click.echo(f"{shown_path(path)} is the stub again")


@main.command()
@click.argument("lesson", required=False)
@click.option(
    "--interval",
    type=click.FloatRange(min=0.1),
    default=0.5,
    show_default=True,
    help="Seconds between looks at the file.",
)
@click.option(
    "--timeout", type=click.FloatRange(min=0, min_open=True), help="CPU seconds allowed per call into your code."
)
@threads_option
def watch(lesson: str | None, interval: float, timeout: float | None, threads: int | None) -> None:
    """Grade LESSON (default: the next unfinished one) every time you save its file.

    Keys, then Enter: n next lesson, h hint, g grade again, q quit.
    """
    from grader.watch import Watcher, grade_summary

    chosen = find_lesson(lesson) if lesson else progress.next_lesson(progress.results()) or LESSONS[0]
    extra = (*(("--timeout", str(timeout)) if timeout else ()), *(("--threads", str(threads)) if threads else ()))
    click.echo(f"watching {chosen.id}: save the file to grade it; n next lesson, h hint, q quit (then Enter)")
    Watcher(chosen, grade=functools.partial(grade_summary, extra=extra), echo=click.echo).run(
        sys.stdin if sys.stdin and not sys.stdin.closed else None, interval
    )


@main.command()
@click.argument("lessons", nargs=-1)
@click.option("--solutions", is_flag=True, help="Grade the reference solutions/ instead of exercises/.")
@click.option(
    "--submission", type=click.Path(path_type=Path), help="Grade a folder laid out like exercises/, or one lesson file."
)
@click.option("--notebook", type=click.Path(path_type=Path), help="Grade a filled lesson notebook (.ipynb).")
@click.option("--json", "json_path", type=click.Path(path_type=Path), help="Write the results as JSON.")
@click.option("--junit", type=click.Path(path_type=Path), help="Write the results as JUnit XML.")
@click.option("--gradescope", type=click.Path(path_type=Path), help="Write a Gradescope results.json.")
@hidden_visibility_option
@click.option("--strict", is_flag=True, help="Count checks that could not run (no data, no GPU) as failures.")
@click.option(
    "--data-dir", type=click.Path(path_type=Path), help="Dataset root (default $TORCH_PRACTICE_DATA or ./data)."
)
@click.option("--offline", is_flag=True, help="Never download datasets.")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=10.0,
    show_default=True,
    help="CPU seconds allowed per call into your code (the wall clock allows 5 times more).",
)
@threads_option
@click.option(
    "--memory",
    type=MemorySize(),
    help="Memory for the process running your code, e.g. 8G or none (default 16G; none with CUDA).",
)
@max_file_size_option
@click.option(
    "-k",
    "select",
    help='Only checks whose own name matches this pytest -k expression: "softmax", '
    '"loss and not training" (words match parts of check names, and the markers training, public, gpu).',
)
@click.option(
    "-m",
    "markers",
    help='Only checks whose markers match this pytest -m expression: "not training" '
    "leaves out the checks that train a model (minutes each).",
)
@click.option("--public", "public_only", is_flag=True, help="Only the public checks (the ones a student release has).")
@click.option("-v", "--verbose", is_flag=True, help="Show every check and pytest's own output.")
def grade(
    lessons: tuple[str, ...],
    solutions: bool,
    submission: Path | None,
    notebook: Path | None,
    json_path: Path | None,
    junit: Path | None,
    gradescope: Path | None,
    hidden_visibility: str,
    strict: bool,
    data_dir: Path | None,
    offline: bool,
    timeout: float,
    threads: int | None,
    memory: int | None,
    max_file_size: int,
    select: str | None,
    markers: str | None,
    public_only: bool,
    verbose: bool,
) -> None:
    """Grade LESSONS (default: all) and print the score table.

    Exit status: 0 every graded check passed, 1 a check failed, 2 bad input,
    3 the grader itself is broken (a suite does not load, or a check ended in
    a grader error).
    """
    if sum(map(bool, (solutions, submission, notebook))) > 1:
        fail("--solutions, --submission and --notebook exclude each other")
    if not max_file_size:
        fail("--max-file-size needs a size, like 8M")
    # a notebook becomes a lesson file in a temporary folder, gone when grading exits
    with tempfile.TemporaryDirectory(prefix="torch-practice-notebook-") if notebook else nullcontext() as tmp:
        if notebook is not None:
            submission = from_notebook(notebook, lessons, Path(tmp), max_file_size)
        if solutions and not (ROOT / "solutions").is_dir():
            fail("there is no solutions/ folder here (a student release has none)")
        if submission is not None and not os.path.lexists(submission):  # a link is judged when graded
            fail(f"submission path {submission} does not exist")
        chosen = pick_lessons(lessons, submission)

        from grader import grading  # torch and pytest load here, not for `practice list`

        if select:
            try:
                grading.keyword_expression(select)
            except ValueError as exc:
                fail(str(exc))

        options = grading.Options(
            impl="solutions" if solutions else "exercises",
            # absolute, not resolved: a link is refused when graded, never followed
            submission=Path(os.path.abspath(submission)) if submission else None,
            data_dir=data_dir,
            offline=offline,
            strict=strict,
            call_timeout=timeout,
            threads=threads,
            memory_limit=memory,
            max_file_size=max_file_size,
            select=select,
            markers=markers,
            public_only=public_only,
            verbose=verbose,
        )
        try:
            results = grading.grade(chosen, options)
        except grading.GradingError as exc:
            click.echo(f"grader error: {exc}", err=True)
            sys.exit(3)
        if not results:
            fail(
                f"no check matched -k {select!r}"
                if select
                else f"no check matched -m {markers!r}"
                if markers
                else "no public checks in these lessons"
                if public_only
                else "no checks were collected"
            )
        click.echo(report.table(results, verbose=verbose))
        if json_path:
            report.write_json(json_path, report.to_json(results))
        if gradescope:
            report.write_json(gradescope, report.to_gradescope(results, hidden_visibility))
        if junit:
            report.write(junit, report.to_junit(results))
        if not solutions and submission is None and select is None and markers is None and not public_only:
            progress.remember(report.by_lesson(results))
        sys.exit(report.exit_status(results))


def from_notebook(path: Path, lessons: tuple[str, ...], folder: Path, max_file_size: int) -> Path:
    """The lesson file rebuilt from a filled notebook (at most ``max_file_size`` bytes), written into ``folder``."""
    from grader.notebook import NotebookError, extract

    if not os.path.lexists(path):  # a link or a FIFO is refused by extract, with its own sentence
        fail(f"notebook {path} does not exist")
    try:
        extracted = extract(path, max_file_size)
    except NotebookError as exc:
        fail(str(exc))
    if lessons and [find_lesson(name) for name in lessons] != [extracted.lesson]:
        fail(f"{path.name} is the notebook of {extracted.lesson.id}, not of {', '.join(lessons)}")
    for note in extracted.notes:
        click.echo(f"note: {text.clean(note)}", err=True)
    lesson_file = folder / f"{extracted.lesson.id}.py"
    lesson_file.write_text(extracted.source, encoding="utf-8")
    return lesson_file


@main.command("build")
@click.option("--check", is_flag=True, help="Only report whether exercises/ is up to date; exit 1 if not.")
def build_command(check: bool) -> None:
    """Regenerate exercises/ from solutions/ (solution regions become stubs)."""
    from grader.build import MarkerError, build_exercises, stale

    if not (ROOT / "solutions").is_dir():
        fail("there is no solutions/ folder to build from (a student release has none)")
    try:
        if check:
            if names := stale():
                click.echo(f"exercises/ is out of date for: {', '.join(names)} (run `practice build`)", err=True)
                sys.exit(1)
            click.echo("exercises/ is up to date")
            return
        written = build_exercises()
    except MarkerError as exc:
        fail(str(exc))
    click.echo(f"wrote {len(written)} files to exercises/")


@main.command()
@click.argument("out", type=click.Path(path_type=Path))
def release(out: Path) -> None:
    """Write the student repository to OUT: stubs, public checks only, no solutions."""
    from grader.release import ReleaseError
    from grader.release import release as write_release

    try:
        files = write_release(out)
    except ReleaseError as exc:
        fail(str(exc))
    click.echo(f"wrote {len(files)} files to {out}; inside it, `make grade` grades the public checks")


@main.command("grade-all")
@click.argument("folder", type=click.Path(path_type=Path))
@click.argument("lessons", nargs=-1)
@click.option(
    "--workers", type=click.IntRange(min=1), default=1, show_default=True, help="Submissions graded at the same time."
)
@click.option("--csv", "csv_path", type=click.Path(path_type=Path), help="Write the gradebook as CSV.")
@click.option(
    "--gradescope-dir", type=click.Path(path_type=Path), help="Write DIR/<submission>/results.json for Gradescope."
)
@hidden_visibility_option
@click.option(
    "--submission-timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=3600.0,
    show_default=True,
    help="Seconds for one whole submission.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=10.0,
    show_default=True,
    help="CPU seconds allowed per call into student code (the wall clock allows 5 times more).",
)
@threads_option
@click.option("--memory", type=MemorySize(), help="Memory per sandboxed worker, e.g. 8G or none.")
@max_file_size_option
@click.option("--strict", is_flag=True, help="Count checks that could not run (no data, no GPU) as failures.")
@click.option(
    "--data-dir", type=click.Path(path_type=Path), help="Dataset root (default $TORCH_PRACTICE_DATA or ./data)."
)
@click.option("--offline", is_flag=True, help="Never download datasets.")
def grade_all(
    folder: Path,
    lessons: tuple[str, ...],
    workers: int,
    csv_path: Path | None,
    gradescope_dir: Path | None,
    hidden_visibility: str,
    submission_timeout: float,
    timeout: float,
    threads: int | None,
    memory: int | None,
    max_file_size: int,
    strict: bool,
    data_dir: Path | None,
    offline: bool,
) -> None:
    """Grade every submission in FOLDER (sub-folders and .ipynb files) for LESSONS (default: all).

    A sub-folder is laid out like exercises/ or is a student's repository
    with an exercises/ folder. Each submission is graded by its own
    `practice grade` process; one that hangs, crashes or is malformed gets a
    row whose status says so. Exit status 0 when the batch ran, whatever the
    students scored.
    """
    from grader import batch

    if not folder.is_dir():
        fail(f"{folder} is not a folder of submissions")
    if not max_file_size:
        fail("--max-file-size needs a size, like 8M")
    chosen = pick_lessons(lessons, None)
    entries, ignored = batch.submissions(folder)
    if not entries:
        fail(f"{folder} holds no submissions (sub-folders or .ipynb notebooks)")
    if ignored:
        names = ", ".join(map(text.name, ignored[:10])) + (", ..." if len(ignored) > 10 else "")
        click.echo(f"ignored {len(ignored)} entries (hidden, or neither a folder nor a .ipynb): {names}", err=True)
    if csv_path and csv_path.is_dir():
        fail(f"--csv {csv_path} is a folder, not a file")
    for out in filter(None, (csv_path and csv_path.parent, gradescope_dir)):
        try:  # now, not after an hour of grading
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            fail(f"cannot create {out}: {exc.strerror}")
    options = [
        "--timeout",
        str(timeout),
        *(["--memory", str(memory or "none")] if memory is not None else []),
        "--max-file-size",
        str(max_file_size),
        *(["--strict"] if strict else []),
        *(["--offline"] if offline else []),
        *(["--data-dir", str(data_dir.resolve())] if data_dir else []),
        *(["--hidden-visibility", hidden_visibility] if gradescope_dir else []),
    ]
    settings = batch.Settings(
        chosen,
        options,
        submission_timeout,
        workers,
        gradescope_dir.resolve() if gradescope_dir else None,
        max_file_size,
        threads,
    )
    label = f"grading {len(entries)} submission{'s' * (len(entries) != 1)}"
    with click.progressbar(
        length=len(entries),
        label=label,
        show_eta=True,
        item_show_func=lambda row: row and ": ".join(row.shown()),
        file=sys.stderr,
    ) as bar:
        rows = batch.grade_all(entries, settings, done=lambda row: bar.update(1, row))
    click.echo(batch.summary(rows))
    if csv_path:
        batch.write_csv(csv_path, rows, settings.lessons)
        click.echo(f"gradebook: {csv_path}")


@main.group()
def notebook() -> None:
    """Lessons as Jupyter notebooks."""


@notebook.command("export")
@click.argument("lessons", nargs=-1)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=Path("notebooks"),
    show_default=True,
    help="Folder to write the notebooks into.",
)
def notebook_export(lessons: tuple[str, ...], out: Path) -> None:
    """Write LESSONS (default: all) as notebooks: lesson text, one cell per stub, a cell that grades them."""
    from grader.notebook import export

    for lesson in pick_lessons(lessons, None):
        click.echo(f"wrote {export(lesson, out)}")
