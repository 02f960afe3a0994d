"""Trusted side: check a submitted path before anything in it is read.

A submission arrives by ``git clone`` or ``unzip``, both of which restore
symbolic links, so a lesson file may be a link to ``solutions/l04_...py``, to
``/proc/self/pagemap`` or to a FIFO that never answers, and a folder may be a
link to another student's work. The grader therefore follows no link below
the path the teacher named: every component is ``lstat``ed and opened with
``O_NOFOLLOW`` relative to its parent's descriptor (so nothing can be swapped
between the check and the read), the last one must be a regular file no
larger than a cap, and the file is read once, through that descriptor, with a
bounded read. Anything else is refused with one sentence naming the file.

The folder the teacher's path lives in (``split``) is trusted and followed:
``/tmp`` may itself be a link on some systems, and the teacher chose it.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

# Bytes a lesson file or a notebook may have. The largest reference solution
# is 11 KB and a notebook with a few plots about 1 MB; 4 MB leaves room for
# any honest work while reading, copying and parsing it stays cheap (a 300 MB
# sparse file is refused from its size alone). `--max-file-size` changes it.
MAX_FILE_BYTES = 4 << 20
_READ_CHUNK = 1 << 16


class Refused(ValueError):
    """A submitted path the grader will not read; ``str()`` is one sentence naming the file."""


class Missing(Refused):
    """A component of the path does not exist."""


def split(path: Path) -> tuple[Path, str]:
    """``(folder, name)`` for a path a teacher named: the folder is followed as it
    is, ``name`` (its last component) and everything below it are checked.
    ``..`` is resolved by its text, not through links."""
    absolute = Path(os.path.abspath(path))
    return absolute.parent, absolute.name


def read(folder: Path, name: str, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of the regular file ``folder/name``, at most ``limit`` of them,
    read through one descriptor after every component of ``name`` was checked.
    Raises ``Refused`` (``Missing`` when a component does not exist)."""
    fd = _open(folder, name, limit, want_folder=False)
    try:
        return _read_at_most(fd, limit, _parts(name)[-1])
    finally:
        os.close(fd)


def check(folder: Path, name: str, limit: int = MAX_FILE_BYTES) -> None:
    """Refuse ``folder/name`` as ``read`` would, without reading it."""
    os.close(_open(folder, name, limit, want_folder=False))


def not_the_lesson_file(folder: Path, name: str, lesson_file: str) -> str:
    """Why ``folder/name``, the one path a teacher named, cannot be graded as
    ``lesson_file``: what it is when it is no regular file (``null is a device, not a
    regular file``, a FIFO, a link), else that it is named after something else."""
    try:
        check(folder, name, limit=sys.maxsize)  # only its kind matters here, not its size
    except Refused as exc:
        return str(exc)
    return f"{name} is not {lesson_file}: a single submitted file is graded as the lesson it is named after"


def check_folder(folder: Path, name: str) -> None:
    """Refuse ``folder/name`` unless it and every component on the way are real folders."""
    os.close(_open(folder, name, 0, want_folder=True))


def size_text(size: int) -> str:
    """``4 MB``, ``300.5 MB``, ``12 KB``: a size the way a person writes it."""
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= scale:
            return f"{size / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{size} bytes"


# -- the walk -----------------------------------------------------------------
def _parts(name: str) -> list[str]:
    """The components of ``name``, which must stay inside the folder it is relative to."""
    parts = name.split("/")
    if name.startswith("/") or any(part in ("", ".", "..") for part in parts):
        raise Refused(f"{name} points outside the submission folder; submit the file itself")
    return parts


def _open(folder: Path, name: str, limit: int, want_folder: bool) -> int:
    """A descriptor of ``folder/name`` after checking every component of ``name``
    (see the module docstring); the caller closes it."""
    parts = _parts(name)
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError as exc:
        kind = Missing if isinstance(exc, FileNotFoundError) else Refused
        raise kind(f"{folder} cannot be read ({exc.strerror})") from None
    try:
        for index, part in enumerate(parts):
            is_file = index == len(parts) - 1 and not want_folder
            try:
                # lstat first: opening a device or a FIFO can itself do something
                info = os.stat(part, dir_fd=fd, follow_symlinks=False)
                _judge(part, info, is_file, limit)
                flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
                child = os.open(part, flags if is_file else flags | os.O_DIRECTORY, dir_fd=fd)
            except FileNotFoundError:
                raise Missing(f"{part} is missing from {Path(folder, *parts[:index])}") from None
            except OSError as exc:  # permission denied, or swapped for a link since the lstat (ELOOP)
                raise Refused(f"{part} cannot be read ({exc.strerror})") from None
            os.close(fd)
            fd = child
            opened = os.fstat(fd)
            if (opened.st_dev, opened.st_ino) != (info.st_dev, info.st_ino):
                raise Refused(f"{part} changed while the grader was reading it")
        return fd
    except BaseException:
        os.close(fd)
        raise


def _judge(part: str, info: os.stat_result, is_file: bool, limit: int) -> None:
    """Refuse one component: a link, not a folder on the way, not a regular file at the end, too large."""
    mode = info.st_mode
    if stat.S_ISLNK(mode):
        raise Refused(f"{part} is a symbolic link; submit the {'file' if is_file else 'folder'} itself")
    if not is_file:
        if not stat.S_ISDIR(mode):
            raise Refused(f"{part} is {_kind(mode)}, not a folder")
        return
    if not stat.S_ISREG(mode):
        raise Refused(f"{part} is {_kind(mode)}, not a regular file; submit the file itself")
    if info.st_size > limit:
        raise Refused(
            f"{part} is {size_text(info.st_size)}, more than the {size_text(limit)} a submitted file "
            f"may have (a teacher can raise it with --max-file-size)"
        )


def _kind(mode: int) -> str:
    kinds = (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISREG, "a file"),
        (stat.S_ISFIFO, "a named pipe (FIFO)"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a device"),
        (stat.S_ISBLK, "a device"),
    )
    return next((text for test, text in kinds if test(mode)), "not a file")


def _read_at_most(fd: int, limit: int, part: str) -> bytes:
    """Everything ``fd`` holds, refused once it passes ``limit`` bytes (its size may
    have grown since the ``fstat``, or a special file may report none)."""
    chunks, size = [], 0
    while chunk := os.read(fd, min(_READ_CHUNK, limit + 1 - size)):
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            raise Refused(
                f"{part} is more than the {size_text(limit)} a submitted file may have "
                f"(a teacher can raise it with --max-file-size)"
            )
    return b"".join(chunks)
