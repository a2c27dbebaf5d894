"""Load the commitments (idempotent): from the shipped JSON extracted from the seed documents,
or straight from the seed documents (`load_commitments --from-seeds DIR`)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction

from beredskap.commitments import seeds, seeds_attribution, seeds_prose
from beredskap.commitments.models import Commitment

TEXT_FIELDS = (
    "source",
    "number",
    "chapter",
    "section",
    "section_title",
    "text",
    "responsible_text",
)
SHIPPED = Path(__file__).parent / "reference" / "commitments.json"
WHITE_PAPER_FILE = "000_cabf802b631b4af0.txt"
DIRECTORATE_FILE = "004_5cee72db29b5d0d3.txt"


def found_in(seed_dir: Path) -> list[seeds.Found]:
    """Every list commitment, running-text commitment and Directorate measure, in that order."""
    paper_text = (seed_dir / WHITE_PAPER_FILE).read_text(encoding="utf-8")
    measures = seeds.parse_directorate_measures(
        (seed_dir / DIRECTORATE_FILE).read_text(encoding="utf-8")
    )
    prose = seeds_prose.parse_prose_commitments(paper_text)
    return [*seeds.parse_white_paper(paper_text), *prose, *measures]


def _due(found: seeds.Found) -> tuple[str | None, str]:
    for needle, due, note in seeds.KNOWN_DUE:
        if found.source != "directorate" and needle in found.text:
            return due, note
    given = seeds_attribution.due_from_text(found.text)
    return given if given else (None, "")


def extract(seed_dir: Path) -> list[dict[str, Any]]:
    """Every commitment and measure found in the seed documents, as loader rows."""
    rows = []
    for found in found_in(seed_dir):
        who = seeds_attribution.responsible_for(found)
        due_date, due_note = _due(found)
        rows.append(
            {
                "key": f"{found.source}-{found.number}",
                "source": found.source,
                "number": found.number,
                "chapter": found.chapter,
                "section": found.section,
                "section_title": found.section_title[:200],
                "text": found.text,
                "risk_area": seeds.risk_area_for(found),
                "responsible": who.short_name,
                "responsible_text": who.text,
                "due_date": due_date,
                "due_note": due_note,
            }
        )
    return rows


def write_shipped(rows: list[dict[str, Any]], path: Path = SHIPPED) -> None:
    path.write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def shipped_rows() -> list[dict[str, Any]]:
    return json.loads(SHIPPED.read_text(encoding="utf-8"))


def _responsible(row: dict[str, Any]) -> Any:
    """The organisation the text names (see seeds_attribution), or none."""
    from beredskap.actors.models import Organisation

    if not row.get("responsible"):
        return None
    return Organisation.objects.filter(short_name=row["responsible"]).first()


def _first_attribution(existing: Commitment, row: dict[str, Any]) -> None:
    """A commitment loaded before responsibility and deadlines were read from the text gets them
    once, when its text attribution is first filled in; a date already set is kept."""
    if existing.responsible_text or not row.get("responsible_text"):
        return
    existing.responsible_org = _responsible(row)
    if existing.due_date is None and row.get("due_date"):
        existing.due_date = date.fromisoformat(row["due_date"])
        existing.due_note = row.get("due_note", "")


@transaction.atomic
def load_commitments(rows: list[dict[str, Any]] | None = None) -> tuple[int, int]:
    """Create missing commitments and refresh their text; status and progress are never touched.
    Returns (created, updated)."""
    rows = shipped_rows() if rows is None else rows
    created = updated = 0
    for row in rows:
        text_fields = {k: row[k] for k in TEXT_FIELDS}
        existing = Commitment.objects.filter(key=row["key"]).first()
        if existing is None:
            due = date.fromisoformat(row["due_date"]) if row.get("due_date") else None
            Commitment.objects.create(
                key=row["key"],
                risk_area=row["risk_area"],
                due_date=due,
                due_note=row.get("due_note", ""),
                responsible_org=_responsible(row),
                **text_fields,
            )
            created += 1
        elif any(getattr(existing, k) != v for k, v in text_fields.items()):
            _first_attribution(existing, row)
            for key, value in text_fields.items():
                setattr(existing, key, value)
            existing.save()
            updated += 1
    return created, updated
