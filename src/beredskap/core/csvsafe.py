"""Spreadsheet cells that cannot become formulas (OWASP «CSV injection»).

A spreadsheet program treats a cell starting with = + - @ (or a tab or carriage return, which
some programs skip before such a sign) as a formula; a record title like ``=HYPERLINK(...)`` in an
export would run when an auditor opens the file. Such a cell gets a leading apostrophe.
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """`value` as written to a CSV/XLSX cell: strings that start like a formula are defused."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
