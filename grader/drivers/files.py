"""Runs inside the sandbox: hands the grader the bytes of a file the
student's code wrote.

The grader never opens a path the worker can write: a link planted there
would make it read or overwrite a file of the grader's choosing, a FIFO
would block it or feed it a pickle. It asks for the bytes instead
(``Student.read_file`` on the trusted side, the one caller), and checks
them again there, since anything in this process can be tampered with.

A lesson's driver re-exports ``read_file`` when its suite reads files back.
"""

from __future__ import annotations

import errno
import os
import stat

from grader.drivers.common import students_turn


@students_turn()  # what is at ``path`` is the student's doing: a link, a FIFO, a file too large
def read_file(student, path: str, limit: int) -> bytes | None:
    """The bytes of the plain file at ``path``, at most ``limit`` of them;
    None when nothing is there. A link, a FIFO, a folder or a larger file
    raises ValueError naming it. ``student`` (the lesson module) is unused."""
    name = os.path.basename(path)
    try:
        # O_NOFOLLOW: a link is refused, not followed; O_NONBLOCK: opening a FIFO does not wait for a writer
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise ValueError(f"{name} is a symbolic link; the grader reads only a plain file") from None
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ValueError(f"{name} is not a plain file; the grader reads only a plain file")
        if info.st_size > limit:
            raise ValueError(f"{name} has {info.st_size} bytes; the grader reads at most {limit}")
        chunks, size = [], 0
        while chunk := os.read(fd, min(1 << 20, limit + 1 - size)):  # it may still grow while being read
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise ValueError(f"{name} grew past {limit} bytes while the grader read it")
        return b"".join(chunks)
    finally:
        os.close(fd)
