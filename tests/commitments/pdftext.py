"""Just enough PDF reading to test our own reports: inflate the content streams and collect the
strings shown with Tj/TJ (reportlab writes ASCII85 + Flate streams with Latin-1 text in literal
strings)."""

from __future__ import annotations

import base64
import re
import zlib

STREAM = re.compile(rb"/Filter \[?([^\]>]*)\]?.*?stream\r?\n(.*?)\r?\n?endstream", re.S)
LITERAL = re.compile(rb"\((?:\\.|[^\\)])*\)")
ESCAPES = {
    b"n": b"\n",
    b"r": b"\r",
    b"t": b"\t",
    b"b": b"\b",
    b"f": b"\f",
    b"(": b"(",
    b")": b")",
    b"\\": b"\\",
}


def _unescape(raw: bytes) -> bytes:
    out, i = bytearray(), 0
    while i < len(raw):
        if raw[i : i + 1] == b"\\":
            nxt = raw[i + 1 : i + 2]
            octal = re.match(rb"[0-7]{1,3}", raw[i + 1 : i + 4])
            if octal:
                out.append(int(octal.group(), 8))
                i += 1 + len(octal.group())
                continue
            out += ESCAPES.get(nxt, nxt)
            i += 2
        else:
            out += raw[i : i + 1]
            i += 1
    return bytes(out)


def pdf_text(data: bytes) -> str:
    chunks = []
    for match in STREAM.finditer(data):
        filters, body = match.group(1), match.group(2)
        if b"ASCII85Decode" in filters:
            body = base64.a85decode(body.strip().removesuffix(b"~>"))
        if b"FlateDecode" in filters:
            body = zlib.decompress(body)
        for literal in LITERAL.findall(body):
            chunks.append(_unescape(literal[1:-1]).decode("latin-1"))
    return " ".join(chunks)
