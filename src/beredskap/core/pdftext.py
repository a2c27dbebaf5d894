"""Text for reportlab: every user string shown in a PDF goes through :func:`paragraph`.

reportlab's ``Paragraph`` parses its text as a small markup language (``<b>``, ``<font>``,
``<a href>``, ``<img src>``, entities). A title typed by a user is data, not markup: left raw,
a ``<`` makes the build fail (a 500 instead of the report), ``<a href>`` puts a link in an
official document, and ``<img src="/path">`` embeds a file from the server's disk. Escaping
``&``, ``<`` and ``>`` makes reportlab print the characters as typed.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape


def markup_text(value: Any) -> str:
    """The value as reportlab paragraph text that shows exactly the characters of ``str(value)``;
    line breaks are kept as line breaks."""
    text = "" if value is None else str(value)
    return escape(text).replace("\r\n", "\n").replace("\n", "<br/>")


def paragraph(value: Any, style: Any) -> Any:
    """A reportlab ``Paragraph`` of plain (user) text: nothing in it is read as markup."""
    from reportlab.platypus import Paragraph

    return Paragraph(markup_text(value), style)
