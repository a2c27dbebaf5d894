"""Read and write the XLSX/CSV templates that import pages offer (all-or-nothing imports,
so a rejected file leaves nothing behind). Shared by risk and planning."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.utils.translation import gettext as _

from beredskap.core.safecells import SafeCsvWriter, append_row, unescape_cell

MAX_ROWS = 2000
MAX_BYTES = 5 * 1024 * 1024
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class ImportResult:
    created: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def read_rows(upload: Any, sheet: str = "") -> list[dict[str, str]]:
    """Rows of an uploaded CSV (UTF-8, comma or semicolon) or XLSX file, keyed by header; in a
    workbook, the sheet named ``sheet`` when it has one (an exported workbook), else the first."""
    name = (getattr(upload, "name", "") or "").lower()
    if getattr(upload, "size", 0) > MAX_BYTES:
        raise ValidationError(_("Filen er for stor (maks 5 MB)."))
    raw = upload.read()
    if name.endswith(".xlsx"):
        table = _xlsx_rows(raw, sheet)
    elif name.endswith(".csv") or name.endswith(".txt"):
        table = _csv_rows(raw)
    else:
        raise ValidationError(_("Last opp en CSV- eller XLSX-fil."))
    if not table:
        raise ValidationError(_("Filen er tom."))
    header = [str(h or "").strip().lower() for h in table[0]]
    rows = []
    for values in table[1:]:
        if all(str(v or "").strip() == "" for v in values):
            continue
        rows.append(
            {header[i]: _text(values[i]) for i in range(min(len(header), len(values))) if header[i]}
        )
    if len(rows) > MAX_ROWS:
        raise ValidationError(_("For mange rader (maks %(n)s).") % {"n": MAX_ROWS})
    return rows


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return unescape_cell(str(value).strip())


def _csv_rows(raw: bytes) -> list[list[str]]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(_("CSV-filen må være UTF-8.")) from exc
    dialect = ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=dialect)
    try:
        return list(reader)
    except csv.Error as exc:  # e.g. a field longer than csv.field_size_limit() (131,072)
        raise ValidationError(
            _("Linje %(n)s kan ikke leses: %(e)s") % {"n": reader.line_num, "e": exc}
        ) from exc


def _xlsx_rows(raw: bytes, sheet_name: str = "") -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a corrupt file
        raise ValidationError(_("Kunne ikke lese XLSX-filen.")) from exc
    names = {name.lower(): name for name in workbook.sheetnames}
    chosen = names.get(sheet_name.lower()) if sheet_name else None
    sheet = workbook[chosen] if chosen else workbook.worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 2)]


def run_import(rows: list[dict[str, str]], handle: Callable[[dict[str, str]], Any]) -> ImportResult:
    """Apply `handle` to every row in one transaction; any bad row rolls back the whole file
    and every bad row is reported with its line number (header = line 1)."""
    result = ImportResult()
    with transaction.atomic():
        for number, row in enumerate(rows, start=2):
            try:
                with transaction.atomic():
                    handle(row)
                result.created += 1
            except ValidationError as exc:
                result.errors.append((number, "; ".join(_messages(exc))))
            except Exception as exc:  # PermissionDenied and friends: a reason, not a 500
                result.errors.append((number, str(exc)))
        if result.errors:
            transaction.set_rollback(True)
            result.created = 0
    return result


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [
            f"{k}: {m}" if k != "__all__" else m
            for k, msgs in exc.message_dict.items()
            for m in msgs
        ]
    return list(exc.messages)


def template_response(
    name: str, header: Sequence[str], example: Sequence[Any], fmt: str
) -> HttpResponse:
    """A downloadable empty template with one example row."""
    if fmt == "csv":
        buffer = io.StringIO()
        writer = SafeCsvWriter(buffer, delimiter=";")
        writer.writerow(header)
        writer.writerow(example)
        response = HttpResponse(
            "\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8"
        )
    else:
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        append_row(sheet, header)
        append_row(sheet, example)
        data = io.BytesIO()
        workbook.save(data)
        response = HttpResponse(data.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def parse_date(value: str, label: str) -> date | None:
    if not value:
        return None
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(value[:10], fmt).date()
        except ValueError:
            continue
    raise ValidationError(
        _("%(f)s: ugyldig dato «%(v)s» (bruk ÅÅÅÅ-MM-DD eller DD.MM.ÅÅÅÅ).")
        % {"f": label, "v": value}
    )


def parse_choice(value: str, choices: Any, label: str, default: str | None = None) -> str:
    """Accept a code or its label (case-insensitive)."""
    if not value:
        if default is not None:
            return default
        raise ValidationError(_("%(f)s mangler.") % {"f": label})
    for code, text in choices:
        if value.lower() in (str(code).lower(), str(text).lower()):
            return code
    raise ValidationError(_("%(f)s: ukjent verdi «%(v)s».") % {"f": label, "v": value})
