"""Load the commitments (idempotent): from the shipped JSON extracted from the seed documents,
or straight from the seed documents (`load_commitments --from-seeds DIR`)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction

from beredskap.commitments import seeds
from beredskap.commitments.models import Commitment

SHIPPED = Path(__file__).parent / "reference" / "commitments.json"
WHITE_PAPER_FILE = "000_cabf802b631b4af0.txt"
DIRECTORATE_FILE = "004_5cee72db29b5d0d3.txt"
# A commitment that names who leads it overrides the committee-lead default.
NAMED_IN_TEXT = [
    ("ledet av Helse- og omsorgsdepartementet", "HOD"),
    ("Direktoratet for medisinske produkter", "DMP"),
    ("Direktoratet for strålevern", "DSA"),
]


def extract(seed_dir: Path) -> list[dict[str, Any]]:
    """Every commitment and measure found in the seed documents, as loader rows."""
    paper = seeds.parse_white_paper((seed_dir / WHITE_PAPER_FILE).read_text(encoding="utf-8"))
    measures = seeds.parse_directorate_measures(
        (seed_dir / DIRECTORATE_FILE).read_text(encoding="utf-8")
    )
    rows = []
    for found in [*paper, *seeds.PROSE_COMMITMENTS, *measures]:
        row = {
            "key": f"{found.source}-{found.number}",
            "source": found.source,
            "number": found.number,
            "chapter": found.chapter,
            "section": found.section,
            "section_title": found.section_title[:200],
            "text": found.text,
            "risk_area": seeds.risk_area_for(found),
            "due_date": None,
            "due_note": "",
        }
        for needle, due, note in seeds.KNOWN_DUE:
            if found.source == "white_paper" and needle in found.text:
                row["due_date"], row["due_note"] = due, note
        if found.source == "white_paper_text" and found.number in seeds.PROSE_DUE:
            row["due_date"], row["due_note"] = seeds.PROSE_DUE[found.number]
        rows.append(row)
    return rows


def write_shipped(rows: list[dict[str, Any]], path: Path = SHIPPED) -> None:
    path.write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def shipped_rows() -> list[dict[str, Any]]:
    return json.loads(SHIPPED.read_text(encoding="utf-8"))


def _responsible(row: dict[str, Any]) -> Any:
    """The committee lead for a risk area (shipped bodies), the Directorate for its own list, else
    HOD."""
    from beredskap.actors.models import Body, BodyKind, Organisation

    if row["source"] == "directorate":
        return Organisation.objects.filter(short_name="Hdir").first()
    for needle, short_name in NAMED_IN_TEXT:
        if needle in row["text"]:
            return Organisation.objects.filter(short_name=short_name).first()
    if row["risk_area"] != "general":
        body = (
            Body.objects.filter(kind=BodyKind.COMMITTEE, risk_area=row["risk_area"])
            .select_related("lead_org")
            .first()
        )
        if body is not None:
            return body.lead_org
    return Organisation.objects.filter(short_name="HOD").first()


@transaction.atomic
def load_commitments(rows: list[dict[str, Any]] | None = None) -> tuple[int, int]:
    """Create missing commitments and refresh their text; status and progress are never touched.
    Returns (created, updated)."""
    rows = shipped_rows() if rows is None else rows
    created = updated = 0
    for row in rows:
        text_fields = {
            k: row[k] for k in ("source", "number", "chapter", "section", "section_title", "text")
        }
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
            for key, value in text_fields.items():
                setattr(existing, key, value)
            existing.save()
            updated += 1
    return created, updated
