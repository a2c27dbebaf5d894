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


# --- PDFs with embedded subset fonts (WeasyPrint): glyph ids mapped back through ToUnicode -------

BFCHAR = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")
BFRANGE = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]+>|\[[^\]]*\])")


def _cmap(stream: bytes) -> tuple[dict[bytes, str], int]:
    mapping: dict[bytes, str] = {}
    width = 1
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", stream, re.S):
        for src, dst in BFCHAR.findall(block):
            width = len(src) // 2
            mapping[bytes.fromhex(src.decode())] = bytes.fromhex(dst.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", stream, re.S):
        for lo, hi, dst in BFRANGE.findall(block):
            width = len(lo) // 2
            first, last = int(lo, 16), int(hi, 16)
            targets = re.findall(rb"<([0-9A-Fa-f]+)>", dst)
            for offset, code in enumerate(range(first, last + 1)):
                key = code.to_bytes(width, "big")
                if dst.startswith(b"["):
                    mapping[key] = bytes.fromhex(targets[offset].decode()).decode("utf-16-be")
                else:
                    start = int(targets[0], 16) + offset
                    mapping[key] = chr(start)
    return mapping, width


def _decode(raw: bytes, cmap: tuple[dict[bytes, str], int] | None) -> str:
    if cmap is None:
        return raw.decode("latin-1")
    mapping, width = cmap
    return "".join(mapping.get(raw[i : i + width], "") for i in range(0, len(raw), width))


def page_texts(data: bytes) -> list[str]:
    """The text of each page, through the fonts' ToUnicode maps (pikepdf)."""
    import io

    import pikepdf

    texts = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            fonts = page.resources.get("/Font", {})
            cmaps = {
                str(name): _cmap(font.ToUnicode.read_bytes()) if "/ToUnicode" in font else None
                for name, font in fonts.items()
            }
            current, parts = None, []
            for operands, operator in pikepdf.parse_content_stream(page):
                op = str(operator)
                if op == "Tf":
                    current = cmaps.get(str(operands[0]))
                elif op == "Tj":
                    parts.append(_decode(bytes(operands[0]), current))
                elif op == "TJ":
                    parts.append(
                        "".join(
                            _decode(bytes(item), current)
                            for item in operands[0]
                            if isinstance(item, pikepdf.String)
                        )
                    )
            texts.append(" ".join(parts))
    return texts


_literal_text = pdf_text


def pdf_text(data: bytes) -> str:  # type: ignore[no-redef]
    """Literal strings (reportlab) and, for PDFs with embedded subset fonts, the mapped text."""
    try:
        mapped = " ".join(page_texts(data))
    except Exception:  # noqa: BLE001 - a PDF pikepdf cannot read is tested by its literal text
        mapped = ""
    return f"{_literal_text(data)} {mapped}"
