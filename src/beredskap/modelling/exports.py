"""Quantile tables for export (CSV, XLSX) and for charts (JSON), from stored results.

Tables are long: one row per area and date with the five quantiles (and the capacity for
ICU occupancy). ``series`` picks what: ``icu`` / ``hosp`` occupancy for level hf, rhf or
county, or ``infections`` per municipality (``level`` = ``kommune``).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator

import numpy as np
from django.utils import timezone
from django.utils.translation import gettext as _

from beredskap.core.safecells import SafeCsvWriter, append_row
from beredskap.modelling.engine import LEVELS, QUANTILE_KEYS
from beredskap.modelling.parameters import RunParameters
from beredskap.modelling.results import RunResults

SERIES = ("icu", "hosp", "infections")


def run_dates(run, days: int) -> list[dt.date]:
    params = RunParameters.model_validate(run.parameters)
    fallback = timezone.localdate(run.started_at or run.created_at)
    return params.day_dates(fallback)[:days]


def check_choice(series: str, level: str) -> None:
    from django.core.exceptions import ValidationError

    if series not in SERIES:
        raise ValidationError({"series": _("Ukjent serie: velg icu, hosp eller infections.")})
    if series == "infections" and level != "kommune":
        raise ValidationError({"level": _("Smittetall finnes per kommune (level=kommune).")})
    if series != "infections" and level not in LEVELS:
        raise ValidationError({"level": _("Ukjent nivå: velg hf, rhf eller county.")})


def rows(run, res: RunResults, series: str, level: str) -> Iterator[list]:
    """Header row, then one row per area and date."""
    check_choice(series, level)
    if series == "infections":
        q, names = (
            res.arrays["inf_q"],
            [f"{c} {n}" for c, n in zip(res.codes, res.meta["names"], strict=True)],
        )
        cap = None
    else:
        q, names, cap = res.occupancy(level, series), res.group_names(level), res.capacity(level)
    dates = run_dates(run, q.shape[1])
    header = [_("område"), _("dato"), _("dag"), *QUANTILE_KEYS]
    if series == "icu" and cap is not None:
        header.append(_("kapasitet"))
    yield header
    for g, name in enumerate(names):
        values = np.round(q[:, :, g].T.astype(float), 2)
        for day, date in enumerate(dates):
            row = [name, date.isoformat(), day, *values[day].tolist()]
            if series == "icu" and cap is not None:
                row.append(float(cap[g]))
            yield row


def to_csv(table: Iterator[list]) -> str:
    buffer = io.StringIO()
    writer = SafeCsvWriter(buffer, delimiter=";")
    for row in table:
        writer.writerow(row)
    return buffer.getvalue()


def to_xlsx(table: Iterator[list], title: str) -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=title[:31] or "Kvantiler")
    for row in table:
        append_row(ws, row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def chart_data(run, res: RunResults, level: str = "rhf") -> dict:
    """Fan-chart data: dates, and per group the quantiles of ICU occupancy and the capacity."""
    check_choice("icu", level)
    q, cap = res.occupancy(level, "icu"), res.capacity(level)
    return {
        "run_id": run.pk,
        "title": run.title,
        "level": level,
        "dates": [d.isoformat() for d in run_dates(run, q.shape[1])],
        "groups": [
            {
                "name": name,
                **res.group_series(level, name),
                "capacity": None if cap is None else float(cap[g]),
            }
            for g, name in enumerate(res.group_names(level))
        ],
    }


def national_icu_median(res: RunResults) -> list[float]:
    """Median ICU occupancy summed over health regions (approximate national median)."""
    return [round(float(v), 1) for v in res.occupancy("rhf", "icu")[2].sum(axis=1)]
