"""Text from a submission, made safe to show on a terminal and to store in
the grader's files. Trusted side; imports nothing heavy.

A student's code decides what it prints, what its errors say and what its
files and folders are called. Shown raw, an escape sequence in any of these
clears the teacher's screen, paints a fake green line, or writes the
teacher's clipboard (OSC 52); a newline in a folder name forges a row of the
gradebook; a CSV cell that starts with ``=`` is a spreadsheet formula. So:

- ``clean`` for text (printed output, error messages): every control
  character becomes a visible escape such as ``\\x1b``, except newline and
  tab. A newline inside text is only a line break, and a tab only moves the
  cursor right, over nothing (it cannot erase or overwrite). A carriage
  return can (``FAIL\\rok  `` shows ``ok``), so a lone one is escaped;
  Windows line ends (``\\r\\n``) become plain newlines.
- ``name`` for one-line labels (submission folders, file names, statuses):
  newlines, carriage returns and tabs are escaped too, so a name stays one
  cell of one row.
- ``csv_cell`` for a gradebook cell: text starting with ``=``, ``+``, ``-``,
  ``@``, tab or carriage return gets a leading ``'`` (OWASP's advice against
  formula injection); numbers the grader wrote stay numbers.

Both ``clean`` and ``name`` are idempotent: an escape they write holds no
control character, so text cleaned twice reads the same as cleaned once.
"""

from __future__ import annotations

import re

# Besides the C0 controls (0x00-0x1f): DEL and the C1 controls (0x7f-0x9f; a
# terminal may read 0x9b as ESC [), the line and paragraph separators
# (str.splitlines splits on them), the bidirectional marks, overrides and
# isolates that reorder what a reader sees ("Trojan Source"), and lone
# surrogates (an undecodable byte in a file name), which no terminal or
# UTF-8 file can take.
_OTHERS = r"\x7f-\x9f\u2028\u2029\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069\ud800-\udfff"
_IN_TEXT = re.compile(rf"[\x00-\x08\x0b-\x1f{_OTHERS}]")  # all but tab (0x09) and newline (0x0a)
_IN_NAME = re.compile(rf"[\x00-\x1f{_OTHERS}]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet may read as the start of a formula


def _escape(match: re.Match) -> str:
    code = ord(match[0])
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def clean(text: str) -> str:
    """``text`` with every control character but newline and tab shown as an escape (``\\x1b``)."""
    return _IN_TEXT.sub(_escape, text.replace("\r\n", "\n"))


def name(text: str) -> str:
    """``text`` as one line: every control character, newline and tab included, shown as an escape."""
    return _IN_NAME.sub(_escape, text)


def csv_cell(value: str | int | float) -> str | int | float:
    """A gradebook cell a spreadsheet reads as text, never as a formula: ``'=HYPERLINK(...)``.
    Numbers pass through unchanged (the grader's own scores must stay numbers)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value
