"""Cells the system writes into spreadsheets and CSV files, made inert.

A text that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read as a
formula by Excel and LibreOffice when the file is opened ("CSV injection", OWASP): a ROS title
``=HYPERLINK("http://…")`` would become a live link, and ``=cmd|…`` has run programs on older
Excel. Every cell of every export goes through :func:`safe_cell`, which puts an apostrophe in
front of such a text (OWASP's recommendation), so the cell shows the text as typed. Numbers,
dates and booleans pass unchanged, so they stay numbers and dates in the sheet.

The escape is reversible: :func:`unescape_cell` (used by every import) takes exactly one
apostrophe off a text that :func:`safe_cell` would have prefixed, so an exported file imported
again gives back the original values — including a text that itself began with apostrophes
before a formula character (``'=x`` is written ``''=x``).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import Any

from django.utils.functional import Promise

FORMULA_START = frozenset("=+-@\t\r")
# An apostrophe run followed by a formula character: what safe_cell escapes and unescape_cell
# restores. Matching the run (not just one apostrophe) keeps the escape a bijection.
_ESCAPED = re.compile(r"'*[=+\-@\t\r]")
# Characters an XLSX cell cannot hold (openpyxl raises IllegalCharacterError on them, a 500);
# tab, newline and carriage return are allowed.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def safe_cell(value: Any) -> Any:
    """The value as a spreadsheet cell that cannot be a formula; non-text values unchanged."""
    if isinstance(value, Promise):
        value = str(value)
    if not isinstance(value, str):
        return value
    value = _ILLEGAL.sub("", value)
    if _ESCAPED.match(value):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    """A row of cells, each through :func:`safe_cell`."""
    return [safe_cell(v) for v in values]


def unescape_cell(value: str) -> str:
    """Undo :func:`safe_cell` on a text read back from a file the system exported."""
    if value.startswith("'") and _ESCAPED.match(value):
        return value[1:]
    return value


class SafeCsvWriter:
    """``csv.writer`` whose every cell goes through :func:`safe_cell`."""

    def __init__(self, stream: Any, **fmtparams: Any) -> None:
        self._writer = csv.writer(stream, **fmtparams)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def append_row(sheet: Any, values: Iterable[Any]) -> None:
    """Append a row to an openpyxl worksheet (normal or write-only) with every cell made safe."""
    sheet.append(safe_row(values))
