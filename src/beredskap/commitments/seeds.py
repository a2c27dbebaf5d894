"""Parse the government's commitments out of the source documents (no Django imports).

1. Meld. St. 5 (2023–2024): every bulleted list headed «Regjeringen vil:» is a list of the
   government's commitments; each bullet is one commitment, referenced by the section it stands
   in (e.g. 4.2). The text is a PDF extraction in two columns: a bullet may be split by a page
   break with footnotes and boxes in between; its continuation then starts the new page (a line
   beginning with a space) just before the next bullet.
2. The Directorate of Health's list of measures («6. Oversikt over tiltak»): headings without a
   full stop, each followed by paragraphs (or bullets after a line ending in a colon) that are
   the measures; the list ends at «Utrykte vedlegg».
"""

from __future__ import annotations

import re
from dataclasses import dataclass

WHITE_PAPER = "Meld. St. 5 (2023–2024)"
LIST_HEAD = re.compile(r"^\s*Regjeringen vil:\s*$")
SECTION = re.compile(r"^\s?(\d)\.(\d{1,2})\s+([A-ZÆØÅ].*)$")
CHAPTER = re.compile(r"^\s?(\d)\s{2}([A-ZÆØÅ].*)$")
BULLET = re.compile(r"^\s*[•–]\s+(.*)$")
LOOKAHEAD = 60
KEEP_HYPHEN = {"sivil", "sivilt"}

# Sections of the white paper's chapter 4 are the six priority risk areas (core.riskareas).
SECTION_RISK_AREA = {
    "4.1": "civil_military",
    "4.2": "digital_security",
    "4.3": "supply_security",
    "4.4": "infection",
    "4.5": "water",
    "4.6": "nuclear",
}


@dataclass(frozen=True)
class Found:
    source: str
    number: int
    section: str
    section_title: str
    text: str
    lead_in: str = ""  # the line ending in a colon that introduces a bulleted measure

    @property
    def chapter(self) -> int:
        return int(self.section.split(".")[0]) if self.section[:1].isdigit() else 0


def join_lines(lines: list[str]) -> str:
    """Join wrapped lines, undoing end-of-line hyphenation («helsebered-» + «skapen»)."""
    text = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        last_word = text.rsplit(" ", 1)[-1].rstrip("-").lower()
        if text.endswith("-") and line.split(" ", 1)[0] in {"og", "eller", "til"}:
            text = f"{text} {line}"  # «helse- og omsorgstjenesten»
        elif text.endswith("-") and last_word in KEEP_HYPHEN:
            text = text + line  # «sivil-militær»
        elif text.endswith("-") and line[:1].islower() and not text.endswith(" -"):
            text = text[:-1] + line
        else:
            text = f"{text} {line}" if text else line
    return re.sub(r"\s+", " ", text).strip()


def _section_before(lines: list[str], index: int) -> tuple[str, str]:
    for j in range(index, -1, -1):
        match = SECTION.match(lines[j])
        if match:
            title = match.group(3).strip()
            if j + 1 < len(lines) and lines[j + 1].strip() and not lines[j + 1].startswith(" "):
                title = join_lines([title, lines[j + 1]])
            return f"{match.group(1)}.{match.group(2)}", title
        match = CHAPTER.match(lines[j])
        if match:
            return match.group(1), match.group(2).strip()
    return "", ""


def _paragraphs(lines: list[str], start: int) -> list[tuple[int, list[str]]]:
    """Blank-line separated paragraphs from `start`, with the index of their first line."""
    paragraphs: list[tuple[int, list[str]]] = []
    current: list[str] = []
    first = start
    for i in range(start, min(len(lines), start + LOOKAHEAD * 3)):
        if lines[i].strip():
            if not current:
                first = i
            current.append(lines[i])
        elif current:
            paragraphs.append((first, current))
            current = []
    if current:
        paragraphs.append((first, current))
    return paragraphs


def _is_heading(line: str) -> bool:
    return bool(SECTION.match(line) or CHAPTER.match(line))


def _list_items(lines: list[str], head: int) -> list[str]:
    """The bullets of one «Regjeringen vil:» list starting at line `head`."""
    items: list[list[str]] = []
    paragraphs = _paragraphs(lines, head + 1)
    k = 0
    while k < len(paragraphs):
        _first, para = paragraphs[k]
        bullet = BULLET.match(para[0])
        if bullet:
            cut = next((i for i, line in enumerate(para) if i and _is_heading(line)), len(para))
            items.append([bullet.group(1), *para[1:cut]])
            if cut < len(para):
                break
            k += 1
            continue
        if not items:
            break
        # An interruption (page break, footnote, box): the list goes on only if a bullet follows
        # before the next heading; the continuation of the interrupted bullet is the page-start
        # text (lines beginning with a space) just before that bullet.
        resume = next(
            (
                j
                for j in range(k, len(paragraphs))
                if BULLET.match(paragraphs[j][1][0])
                or any(_is_heading(line) for line in paragraphs[j][1])
            ),
            None,
        )
        if resume is None or not BULLET.match(paragraphs[resume][1][0]) or resume - k > 8:
            break
        before = paragraphs[resume - 1][1]
        starts = [
            i for i, line in enumerate(before) if line.startswith(" ") and not line.startswith("  ")
        ]
        if starts and not items[-1][-1].rstrip().endswith((".", ")")):
            items[-1].extend(before[starts[-1] :])
        k = resume
    return [join_lines(item) for item in items]


def parse_white_paper(text: str) -> list[Found]:
    """Every «Regjeringen vil:» commitment with its section reference, in document order."""
    lines = text.splitlines()
    found: list[Found] = []
    for index, line in enumerate(lines):
        if not LIST_HEAD.match(line):
            continue
        section, title = _section_before(lines, index)
        for item in _list_items(lines, index):
            found.append(Found("white_paper", len(found) + 1, section, title, item))
    return found


def parse_directorate_measures(text: str) -> list[Found]:
    """Every measure in the Directorate of Health's list, under its heading."""
    lines = text.splitlines()
    try:
        start = next(
            i for i, line in enumerate(lines) if line.strip().startswith("6. Oversikt over tiltak")
        )
    except StopIteration:
        return []
    found: list[Found] = []
    heading = lead_in = ""
    for line in lines[start + 1 :]:
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith(("Utrykte vedlegg", "Sist faglig oppdatert")):
            break
        bullet = BULLET.match(line)
        if bullet:
            text = bullet.group(1).strip()
            found.append(Found("directorate", len(found) + 1, "6", heading, text, lead_in))
        elif stripped.endswith(":"):
            lead_in = stripped
        elif stripped.endswith((".", "»")) or len(stripped) > 120:
            found.append(Found("directorate", len(found) + 1, "6", heading, stripped))
        else:
            heading, lead_in = stripped, ""
    return found


# Dates the white paper gives for specific commitments (a match in the text → due date + note).
KNOWN_DUE = [
    (
        "interdepartemental arbeidsgruppe",
        "2024-12-31",
        "Arbeidsgruppen skal levere sin rapport innen utgangen av 2024 (4.1).",
    ),
]

DIRECTORATE_RISK_AREA = {
    "IKT": "digital_security",
    "Forsyning av legemidler": "supply_security",
    "Sikkerhetspolitiske": "civil_military",
    "Drikkevannsforsyning": "water",
    "Ekstremvær": "climate",
    "Sikkerhetsloven": "civil_military",
}


def risk_area_for(found: Found) -> str:
    if found.source == "directorate":
        return next(
            (
                area
                for prefix, area in DIRECTORATE_RISK_AREA.items()
                if found.section_title.startswith(prefix)
            ),
            "general",
        )
    return SECTION_RISK_AREA.get(found.section, "general")
