"""Export an analysis as XLSX and as a printable PDF report with its risk matrices (to circulate and
file outside the system). Callers pass an analysis already read through visible_to(user)."""

from __future__ import annotations

import io
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from beredskap.core.classification import Classification
from beredskap.core.pdftext import paragraph
from beredskap.core.safecells import append_row
from beredskap.risk import queries
from beredskap.risk.classes import PROBABILITY_LETTERS, ConsequenceType
from beredskap.risk.models import RosAnalysis

ZONE_FILL = {"green": "D9F2DD", "yellow": "FFF1C2", "red": "F9D3D3"}


def _marking(analysis: RosAnalysis) -> str:
    text = str(Classification(analysis.classification).label)
    if analysis.exempt_public:
        text += f" – {_('Unntatt offentlighet')} ({analysis.exempt_legal_basis})"
    return text


def _event_rows(events: list[Any]) -> list[list[Any]]:
    rows = []
    for e in events:
        rows.append(
            [
                e.code,
                e.title,
                e.get_risk_area_display(),
                e.get_nature_display(),
                PROBABILITY_LETTERS.get(e.probability, ""),
                *[e.consequence_of(kind) or "" for kind in ConsequenceType.values],
                e.get_uncertainty_display(),
                e.description,
                e.causes,
                e.existing_barriers,
            ]
        )
    return rows


EVENT_COLUMNS = [
    _l("Nr."),
    _l("Hendelse"),
    _l("Risikoområde"),
    _l("Type"),
    _l("Sannsynlighet"),
    *ConsequenceType.labels,
    _l("Usikkerhet"),
    _l("Beskrivelse"),
    _l("Årsaker"),
    _l("Barrierer"),
]


def analysis_xlsx(analysis: RosAnalysis) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    events = list(queries.events_of(analysis))
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Analyse")
    for label, value in [
        (_("Gradering"), _marking(analysis)),
        (_("Tittel"), analysis.title),
        (_("Eier"), analysis.owner_org.name),
        (_("Omfang"), analysis.get_scope_display()),
        (_("Metode"), analysis.get_method_display()),
        (_("Status"), analysis.get_status_display()),
        (_("Revisjon"), analysis.revision),
        (_("Godkjent"), analysis.approved_on),
        (_("Neste revisjon"), analysis.next_revision_due),
        (_("Periode"), f"{analysis.period_start} – {analysis.period_end}"),
    ]:
        append_row(sheet, [str(label), value])
    sheet["A1"].font = Font(bold=True)
    events_sheet = workbook.create_sheet(_("Hendelser"))
    append_row(events_sheet, [str(c) for c in EVENT_COLUMNS])
    for row in _event_rows(events):
        append_row(events_sheet, row)
    measures_sheet = workbook.create_sheet(_("Tiltak"))
    append_row(
        measures_sheet,
        [
            _("Hendelse"),
            _("Tiltak"),
            _("Ansvarlig"),
            _("Frist"),
            _("Status"),
            _("Effekt"),
            _("Beskrivelse"),
        ],
    )
    for e in events:
        for m in e.measures.all():
            append_row(
                measures_sheet,
                [
                    e.code,
                    m.title,
                    m.owner.name,
                    m.due_date,
                    m.get_status_display(),
                    m.get_effect_display(),
                    m.effect_description,
                ],
            )
    matrix_sheet = workbook.create_sheet(_("Matriser"))
    for matrix in queries.matrices(events, analysis.acceptance_profile):
        append_row(matrix_sheet, [matrix.label])
        append_row(matrix_sheet, ["", *[letter for _p, letter in matrix.columns]])
        for c, _label, cells in matrix.rows:
            append_row(
                matrix_sheet, [c, *[" ".join(e.code for e in cell.events) for cell in cells]]
            )
            for index, cell in enumerate(cells, start=2):
                matrix_sheet.cell(row=matrix_sheet.max_row, column=index).fill = PatternFill(
                    "solid", fgColor=ZONE_FILL[cell.zone]
                )
        append_row(matrix_sheet, [])
    data = io.BytesIO()
    workbook.save(data)
    return data.getvalue()


def analysis_pdf(analysis: RosAnalysis) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=7, leading=8)
    events = list(queries.events_of(analysis))
    marking = _marking(analysis)
    story: list[Any] = [
        paragraph(analysis.title, styles["Title"]),
        paragraph(
            f"{analysis.owner_org.name} – {analysis.get_status_display()}, "
            f"{_('revisjon')} {analysis.revision}",
            styles["BodyText"],
        ),
    ]
    if analysis.approved_on:
        story.append(
            paragraph(
                f"{_('Godkjent')} {analysis.approved_on:%d.%m.%Y}; {_('neste revisjon')} "
                f"{analysis.next_revision_due:%d.%m.%Y}",
                styles["BodyText"],
            )
        )
    story.append(Spacer(1, 0.4 * cm))
    table = [[paragraph(c, small) for c in EVENT_COLUMNS[:10]]]
    table += [[paragraph(v, small) for v in row[:10]] for row in _event_rows(events)]
    events_table = Table(table, repeatRows=1)
    events_table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEEEEE")),
            ]
        )
    )
    story += [paragraph(_("Uønskede hendelser"), styles["Heading2"]), events_table]
    for matrix in queries.matrices(events, analysis.acceptance_profile):
        grid = [["", *[letter for _p, letter in matrix.columns]]]
        style: list[tuple[Any, ...]] = [("GRID", (0, 0), (-1, -1), 0.5, colors.grey)]
        for r, (c, _label, cells) in enumerate(matrix.rows, start=1):
            grid.append([str(c), *[" ".join(e.code for e in cell.events) for cell in cells]])
            for col, cell in enumerate(cells, start=1):
                style.append(
                    ("BACKGROUND", (col, r), (col, r), colors.HexColor("#" + ZONE_FILL[cell.zone]))
                )
        table = Table(grid, colWidths=[1.5 * cm] + [2.5 * cm] * 5)
        table.setStyle(TableStyle(style))
        story += [paragraph(f"{_('Risikomatrise')} – {matrix.label}", styles["Heading3"]), table]

    def mark(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica-Bold", 9)
        width, height = landscape(A4)
        canvas.drawCentredString(width / 2, height - 0.8 * cm, marking)
        canvas.drawCentredString(width / 2, 0.6 * cm, f"{marking} – {_('side')} {doc.page}")
        canvas.restoreState()

    data = io.BytesIO()
    doc = SimpleDocTemplate(
        data, pagesize=landscape(A4), title=analysis.title, author=analysis.owner_org.name
    )
    doc.build(story, onFirstPage=mark, onLaterPages=mark)
    return data.getvalue()
