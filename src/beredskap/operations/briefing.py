"""Printable briefing (PDF) for the council meeting, drawn with reportlab. Exercise crises carry
ØVELSE on every page; the classification is stamped in the header."""

from __future__ import annotations

import io
from typing import Any

from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas


def _header(pdf: Any, crisis: Any) -> float:
    width, height = A4
    pdf.setFont("Helvetica-Bold", 10)
    pdf.drawCentredString(width / 2, height - 30, crisis.get_classification_display())
    if crisis.is_exercise:
        pdf.setFont("Helvetica-Bold", 16)
        pdf.drawCentredString(width / 2, height - 50, "ØVELSE ØVELSE ØVELSE")
    return height - 80


def _fan_text(row: dict[str, Any]) -> list[str]:
    last = row["checkpoints"][-1] if row["checkpoints"] else None
    fan = (
        f"om {last['day']} døgn {last['p50']:.0f} (50 %: {last['p25']:.0f}–{last['p75']:.0f}; "
        f"90 %: {last['p05']:.0f}–{last['p95']:.0f})"
        if last
        else ""
    )
    over = (
        f"over bemannet kapasitet: sannsynlighet {row['probability'] * 100:.0f} %"
        + (f", tidligst {row['first_date']} (median)" if row["first_date"] else "")
        if row["probability"] is not None
        else "bemannet kapasitet ikke rapportert"
    )
    staffed = "–" if row["staffed"] is None else row["staffed"]
    free = "–" if row["free"] is None else row["free"]
    return [f"nå {row['occupied']} av {staffed} bemannede ({free} ledige), {fan}", over]


def forecast_lines(forecasts: list[dict[str, Any]]) -> list[str]:
    """The attached forecasts as briefing lines; a run the reader may not see is only named."""
    if not forecasts:
        return ["Ingen prognose er knyttet til krisen."]
    out = []
    for f in forecasts:
        if not f.get("visible"):
            out.append(f"• Kjøring {f['run_id']}: knyttet til krisen (ingen tilgang til innholdet)")
            continue
        if not f.get("usable"):
            out.append(f"• Kjøring {f['run_id']}: mangler medlemmer per helseregion")
            continue
        out.append(f"• Kjøring {f['run_id']} ({f['title']}), fra i dag {f['dates'][0]}:")
        for region in f["regions"]:
            name = region["name"] or "Hele landet"
            for row in region["beds"]:
                kind = "intensiv" if row["kind"] == "icu" else "sengepost"
                now, over = _fan_text(row)
                out += [f"   {name}, {kind}: {now}", f"      {over}"]
    return out


def render(crisis: Any, data: dict[str, Any]) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(f"Brifing – {crisis}")
    y = _header(pdf, crisis)

    def line(text: str, size: int = 10, bold: bool = False) -> None:
        nonlocal y
        if y < 60:
            pdf.showPage()
            y = _header(pdf, crisis)
        pdf.setFont("Helvetica-Bold" if bold else "Helvetica", size)
        pdf.drawString(50, y, text[:110])
        y -= size + 6

    line(f"Brifing: {crisis}", 14, True)
    line(
        f"Nivå: {crisis.get_level_display()} – fase: {crisis.get_phase_display()} – "
        f"{timezone.localtime():%d.%m.%Y %H:%M}"
    )
    line("Nøkkeltall", 12, True)
    if data.get("beds_available"):
        line(
            f"• Intensiv: {data['icu']['occupied']} av {data['icu']['staffed']} bemannede "
            "plasser i bruk"
        )
    line("Prognose fra i dag", 12, True)
    for text in forecast_lines(data.get("forecasts") or []):
        line(text)
    line("Flaskehalser", 12, True)
    for item in data["bottlenecks"] or ["Ingen registrert"]:
        line(f"• {item}")
    line("Vedtak i kraft", 12, True)
    for d in data["decisions"] or []:
        line(f"• {d.title} – {d.authority.name} ({d.get_legal_basis_display()} {d.legal_section})")
    line("Siste rapporter", 12, True)
    for r in data["latest"]:
        line(f"• {r.organisation.name}: {r.get_situation_colour_display()} – {r.situation[:70]}")
    line("Åpne oppgaver", 12, True)
    for t in data["tasks"]:
        line(f"• {t.title} – {t.owner_org.name}, frist {timezone.localtime(t.due_at):%d.%m %H:%M}")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
