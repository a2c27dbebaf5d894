"""XLSX import of exercises and of actions: all-or-nothing per file, every rejected row reported
with its reason, so the user can fix the file and try again without cleaning up. Each row goes
through the same services as a form."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from beredskap.actors.models import Organisation
from beredskap.core.classification import parse_classification
from beredskap.core.errors import PermissionDenied
from beredskap.core.riskareas import RiskArea
from beredskap.core.safecells import append_row, unescape_cell
from beredskap.exercises import followup, services
from beredskap.exercises.models import ExerciseType, LearningPoint

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 2000
EXERCISE_COLUMNS = [
    "Tittel",
    "Øvingsform",
    "Startdato",
    "Sluttdato",
    "Eier",
    "Risikoområde",
    "Hensikt",
    "Sted",
    "Deltakere",
    "Gradering",
]
ACTION_COLUMNS = ["Øvelse-ID", "Læringspunkt", "Tiltak", "Ansvarlig", "Kontaktperson", "Frist"]


@dataclass
class ImportResult:
    created: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _rows(data: bytes, columns: list[str]) -> Iterator[tuple[int, dict[str, Any]]]:
    """Rows of the first sheet as dicts keyed by the required header names."""
    from openpyxl import load_workbook

    if len(data) > MAX_BYTES:
        raise ValidationError(_("Filen er større enn 5 MB."))
    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, IndexError) as exc:
        raise ValidationError(_("Filen er ikke en gyldig XLSX-fil.")) from exc
    rows = sheet.iter_rows(values_only=True)
    header = [str(v).strip() if v is not None else "" for v in next(rows, ())]
    missing = [c for c in columns if c not in header]
    if missing:
        raise ValidationError(_("Mangler kolonner: %(c)s") % {"c": ", ".join(missing)})
    for number, values in enumerate(rows, start=2):
        if number > MAX_ROWS + 1:
            raise ValidationError(_("Filen har mer enn %(n)s rader.") % {"n": MAX_ROWS})
        if values is None or all(v in (None, "") for v in values):
            continue
        yield (
            number,
            {name: values[i] if i < len(values) else None for i, name in enumerate(header) if name},
        )


def _text(value: Any) -> str:
    return "" if value is None else unescape_cell(str(value).replace("\x00", "").strip())


def _date(value: Any, label: str, required: bool = True) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    if not text:
        if required:
            raise ValidationError({label: _("Mangler dato.")})
        return None
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValidationError(
        {label: _("«%(v)s» er ikke en dato (bruk ÅÅÅÅ-MM-DD eller DD.MM.ÅÅÅÅ).") % {"v": text[:40]}}
    )


def _required_date(value: Any, label: str) -> date:
    found = _date(value, label)
    if found is None:
        raise ValidationError({label: _("Mangler dato.")})
    return found


def _org(value: Any, label: str) -> Organisation:
    text = _text(value)
    if not text:
        raise ValidationError({label: _("Mangler organisasjon.")})
    org = Organisation.objects.filter(Q(short_name__iexact=text) | Q(name__iexact=text)).first()
    if org is None:
        raise ValidationError({label: _("Ukjent organisasjon «%(v)s».") % {"v": text[:80]}})
    return org


def _choice(value: Any, choices: Any, label: str, default: str | None = None) -> str:
    text = _text(value)
    if not text and default is not None:
        return default
    for code, name in choices:
        if text.lower() in (str(code).lower(), str(name).lower()):
            return str(code)
    raise ValidationError({label: _("Ukjent verdi «%(v)s».") % {"v": text[:40]}})


Progress = Callable[[int], None]
Finish = Callable[[ImportResult], bool]


def _run(
    data: bytes,
    columns: list[str],
    handle: Callable[[dict[str, Any]], None],
    progress: Progress | None = None,
    finish: Finish | None = None,
) -> ImportResult:
    """Handle every row in one transaction, rolled back if any row is rejected. `progress(percent)`
    may raise `jobs.Cancelled`; `finish(result)` runs inside the transaction and, if it returns
    False (the job was cancelled meanwhile), everything is rolled back."""
    from beredskap.exercises.jobs import Cancelled

    result = ImportResult()
    rows = list(_rows(data, columns))
    step = max(1, len(rows) // 50)
    with transaction.atomic():
        with transaction.atomic():
            for index, (number, row) in enumerate(rows, start=1):
                try:
                    with transaction.atomic():
                        handle(row)
                    result.created += 1
                except ValidationError as exc:
                    for fld, messages in _messages(exc):
                        result.errors.append({"row": number, "field": fld, "message": messages})
                except PermissionDenied as exc:
                    result.errors.append({"row": number, "field": "", "message": str(exc)})
                if progress is not None and (index % step == 0 or index == len(rows)):
                    progress(index * 100 // len(rows))
            if result.errors:
                transaction.set_rollback(True)
                result.created = 0
        if finish is not None and not finish(result):
            raise Cancelled
    return result


def _messages(exc: ValidationError) -> list[tuple[str, str]]:
    if hasattr(exc, "error_dict"):
        return [
            (name, " ".join(str(m) for m in ValidationError(errs).messages))
            for name, errs in exc.error_dict.items()
        ]
    return [("", " ".join(exc.messages))]


def import_exercises(
    *,
    by: Any,
    data: bytes,
    plan: Any = None,
    progress: Progress | None = None,
    finish: Finish | None = None,
) -> ImportResult:
    """Create one exercise per row; nothing is saved if any row is rejected."""

    def handle(row: dict[str, Any]) -> None:
        try:
            classification = parse_classification(_text(row.get("Gradering")) or "UGRADERT")
        except ValidationError as exc:
            raise ValidationError({"Gradering": exc.messages}) from exc
        exercise = services.create_exercise(
            by=by,
            owner_org=_org(row.get("Eier"), "Eier"),
            title=_text(row.get("Tittel"))[:200],
            plan=plan,
            exercise_type=_choice(row.get("Øvingsform"), ExerciseType.choices, "Øvingsform"),
            starts_on=_required_date(row.get("Startdato"), "Startdato"),
            ends_on=_date(row.get("Sluttdato"), "Sluttdato", required=False),
            risk_area=_choice(
                row.get("Risikoområde"), RiskArea.choices, "Risikoområde", default=RiskArea.GENERAL
            ),
            purpose=_text(row.get("Hensikt")),
            location=_text(row.get("Sted"))[:200],
            classification=classification,
        )
        for name in filter(None, (n.strip() for n in _text(row.get("Deltakere")).split(";"))):
            org = Organisation.objects.filter(
                Q(short_name__iexact=name) | Q(name__iexact=name)
            ).first()
            services.add_participant(
                by=by,
                exercise=exercise,
                kind="health" if org else "other",
                organisation=org,
                name="" if org else name[:200],
            )

    return _run(data, EXERCISE_COLUMNS, handle, progress, finish)


def import_actions(
    *,
    by: Any,
    data: bytes,
    exercises: Any,
    progress: Progress | None = None,
    finish: Finish | None = None,
) -> ImportResult:
    """Create one action per row under the named learning point of a visible exercise's
    evaluation."""

    def handle(row: dict[str, Any]) -> None:
        raw_id = _text(row.get("Øvelse-ID"))
        exercise = (
            exercises.filter(pk=int(raw_id)).first()
            if raw_id.isdigit() and len(raw_id) < 10
            else None
        )
        if exercise is None or not hasattr(exercise, "evaluation"):
            raise ValidationError(
                {"Øvelse-ID": _("Ukjent øvelse, eller øvelsen har ingen evaluering.")}
            )
        title = _text(row.get("Læringspunkt"))[:300]
        if not title:
            raise ValidationError({"Læringspunkt": _("Mangler læringspunkt.")})
        point = LearningPoint.objects.filter(
            evaluation=exercise.evaluation, title=title
        ).first() or followup.add_learning_point(by=by, evaluation=exercise.evaluation, title=title)
        followup.add_action(
            by=by,
            learning_point=point,
            title=_text(row.get("Tiltak"))[:300],
            responsible_org=_org(row.get("Ansvarlig"), "Ansvarlig"),
            contact=_text(row.get("Kontaktperson"))[:200],
            due_date=_required_date(row.get("Frist"), "Frist"),
        )

    return _run(data, ACTION_COLUMNS, handle, progress, finish)


def error_report_xlsx(job: Any) -> bytes:
    """The outcome of an import as a workbook: one line per rejected row, or the number created."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = _("Resultat")[:31]
    append_row(sheet, [_("Fil"), job.file_name])
    append_row(sheet, [_("Status"), str(job.get_status_display())])
    append_row(sheet, [_("Opprettet"), job.created])
    append_row(sheet, [])
    append_row(sheet, [_("Rad"), _("Felt"), _("Feil")])
    for cell in sheet[5]:
        cell.font = Font(bold=True)
    for error in job.row_errors:
        append_row(sheet, [error.get("row"), error.get("field", ""), error.get("message", "")])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
