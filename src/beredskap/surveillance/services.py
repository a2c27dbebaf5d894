"""Every write of the surveillance app: series, observations (with history), signals.

Imports are all-or-nothing with every rejected row reported (DESIGN.md rule 3); a detection
run is queued after new data (the background worker, DESIGN.md rule 8).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from beredskap.core.audit import acting_as
from beredskap.core.classification import Classification
from beredskap.core.errors import PermissionDenied
from beredskap.surveillance import areas, permissions
from beredskap.surveillance.models import (
    AlertDispatch,
    AlertSubscription,
    AlertThreshold,
    DetectionRun,
    Dispersion,
    Indicator,
    Observation,
    Series,
    Signal,
    SignalEvent,
    SignalStatus,
)
from beredskap.surveillance.periods import parse_period

FHI_GRANT_REASON = "Nasjonal overvåking (smittevernloven § 7-9)"


@dataclass
class ObservationBatch:
    """Outcome of a batch: rows stored, rows unchanged (same value already known), errors."""

    stored: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    run_id: int | None = None


def ensure_series(
    *, by: Any, indicator: Indicator, level: str, code: str, age_group: str = ""
) -> Series:
    """The series for an area (created on first use, owned by the municipality or FHI)."""
    area = areas.resolve(level, code)
    found = Series.objects.filter(
        indicator=indicator, area_level=area.level, area_code=area.code, age_group=age_group
    ).first()
    if found is not None:
        return found
    with acting_as(by), transaction.atomic():
        series = Series(
            indicator=indicator,
            area_level=area.level,
            area_code=area.code,
            area_name=area.name,
            county_number=area.county_number,
            age_group=age_group,
            owner_org_id=area.owner_org_id,
            classification=Series.DEFAULT_CLASSIFICATION,
        )
        series.full_clean()
        series.save()
        _grant_fhi(by, series)
    return series


def _grant_fhi(by: Any, record: Any) -> None:
    """FHI sees every municipal series and signal (the national surveillance)."""
    from beredskap.core.grants import grant_access

    fhi = permissions.fhi()
    if record.owner_org_id != fhi.pk:
        grant_access(by=by, record=record, reason=FHI_GRANT_REASON, organisations=[fhi])


def _parse_row(row: dict[str, Any]) -> tuple[str, str, str, Any, int, int | None]:
    level = str(row.get("area_level") or "municipality").strip()
    code = str(row.get("area_code") or "").strip()
    period = parse_period(str(row.get("period") or ""))
    value = _count(row.get("value"), _("antall"))
    if value is None:
        raise ValidationError(_("Antall mangler."))
    denominator = _count(row.get("denominator"), _("nevner"))
    return level, code, str(row.get("age_group") or "").strip(), period, value, denominator


def _count(raw: Any, what: str) -> int | None:
    if raw is None or str(raw).strip() == "":
        return None
    try:
        value = int(str(raw).strip())
    except ValueError as exc:
        raise ValidationError(
            _("%(w)s «%(v)s» er ikke et heltall.") % {"w": what, "v": raw}
        ) from exc
    if value < 0:
        raise ValidationError(_("%(w)s kan ikke være negativt.") % {"w": what})
    return value


def record_observations(
    *, by: Any, indicator: Indicator, rows: list[dict[str, Any]], source: str, first_number: int = 1
) -> ObservationBatch:
    """Store a batch all-or-nothing; a value equal to the one already known adds nothing, a
    different one is a correction kept beside the old (history). Queues detection after it."""
    if not permissions.may_upload(by):
        raise PermissionDenied(_("Du har ikke tilgang til å levere overvåkingsdata."))
    batch = ObservationBatch()
    parsed = []
    for number, row in enumerate(rows, start=first_number):
        try:
            level, code, age, period, value, denominator = _parse_row(row)
            area = areas.resolve(level, code)
            if not permissions.may_write_series(by, area.owner_org_id):
                raise ValidationError(_("Du kan ikke levere data for %(a)s.") % {"a": area.name})
            parsed.append((level, code, age, period, value, denominator))
        except ValidationError as exc:
            batch.errors.append((number, " ".join(exc.messages)))
    if batch.errors:
        return batch
    now = timezone.now()
    with acting_as(by), transaction.atomic():
        for level, code, age, period, value, denominator in parsed:
            series = ensure_series(
                by=by, indicator=indicator, level=level, code=code, age_group=age
            )
            current = (
                Observation.objects.filter(series=series, period=period)
                .order_by("-known_from", "-pk")
                .first()
            )
            if current and current.value == value and current.denominator == denominator:
                batch.unchanged += 1
                continue
            Observation.objects.create(
                series=series,
                period=period,
                value=value,
                denominator=denominator,
                known_from=now,
                source=source,
                recorded_by=by,
            )
            batch.stored += 1
        if batch.stored:
            run = queue_detection(indicator=indicator)
            batch.run_id = run.pk
    return batch


def queue_detection(*, indicator: Indicator) -> DetectionRun:
    """Create a run and enqueue it after commit (the worker runs it; tests run it at once)."""
    from beredskap.surveillance.tasks import run_detection_task

    run = DetectionRun.objects.create(
        indicator=indicator, method=indicator.method, dispersion=indicator.dispersion
    )
    transaction.on_commit(lambda: run_detection_task.enqueue(run.pk))
    return run


def create_indicator(*, by: Any, key: str, name: str, **fields: Any) -> Indicator:
    with acting_as(by), transaction.atomic():
        indicator = Indicator(key=key, name=name, **fields)
        indicator.full_clean()
        indicator.save()
    return indicator


# --- signals --------------------------------------------------------------------------------


def _event(signal: Signal, by: Any, kind: str, before: str, note: str = "") -> None:
    SignalEvent.objects.create(
        signal=signal, by=by, kind=kind, from_status=before, to_status=signal.status, note=note
    )


def open_or_extend_signal(*, series: Series, period, observed: int, expected, level: str) -> Signal:
    """An alarm opens a signal for the series, or extends the open one (no assessor yet)."""
    open_signal = (
        Signal.objects.filter(series=series, status__in=[SignalStatus.NEW, SignalStatus.ASSESSING])
        .order_by("-last_period")
        .first()
    )
    if open_signal is not None:
        if period <= open_signal.last_period:
            return open_signal
        before = open_signal.status
        open_signal.last_period = period
        if observed > open_signal.peak_observed:
            open_signal.peak_observed, open_signal.peak_expected = observed, expected
        if level == "high":
            open_signal.level = level
        open_signal.save()
        _event(open_signal, None, "extended", before, str(period))
        return open_signal
    signal = Signal(
        series=series,
        first_period=period,
        last_period=period,
        peak_observed=observed,
        peak_expected=expected,
        level=level,
        owner_org_id=series.owner_org_id,
        classification=Classification.BEGRENSET,
    )
    signal.full_clean()
    signal.save()
    _grant_fhi(None, signal)
    _event(signal, None, "opened", "")
    return signal


def take_ownership(*, by: Any, signal: Signal, expected_version: int) -> Signal:
    """The assessor takes the signal; a new signal moves to «under vurdering»."""
    permissions.require_assess(by, signal)
    with acting_as(by), transaction.atomic():
        before = signal.status
        signal.version = expected_version
        signal.owner = by
        if signal.status == SignalStatus.NEW:
            signal.status = SignalStatus.ASSESSING
        signal.save()
        _event(signal, by, "owner", before, _("Ansvarlig: %(n)s") % {"n": by.get_username()})
    return signal


def change_status(
    *,
    by: Any,
    signal: Signal,
    status: str,
    reason: str,
    expected_version: int,
    crisis: Any = None,
) -> Signal:
    """Assess a signal: a status change always carries a reason; confirming links a crisis."""
    permissions.require_assess(by, signal)
    if status not in SignalStatus.values:
        raise ValidationError({"status": _("Ukjent status.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Oppgi begrunnelse for endringen.")})
    if status == SignalStatus.CONFIRMED and crisis is None and signal.crisis_id is None:
        raise ValidationError({"crisis": _("Et bekreftet signal knyttes til en krise.")})
    with acting_as(by), transaction.atomic():
        before = signal.status
        signal.version = expected_version
        signal.status = status
        if status == SignalStatus.DISMISSED:
            signal.dismissed_reason = reason.strip()
        if crisis is not None:
            signal.crisis = crisis
        if signal.owner_id is None:
            signal.owner = by
        signal.save()
        _event(signal, by, "status", before, reason.strip())
        if crisis is not None:
            _grant_crisis(by, signal, crisis)
    return signal


def _grant_crisis(by: Any, signal: Signal, crisis: Any) -> None:
    """The crisis staff (the crisis's owner) see a signal linked to their crisis, for as long
    as the crisis lasts (the grant is bound to the crisis as its origin)."""
    from beredskap.core.grants import grant_access

    if crisis.owner_org_id != signal.owner_org_id:
        grant_access(
            by=by,
            record=signal,
            reason=f"Knyttet til krisen «{crisis.name}»"[:300],
            organisations=[crisis.owner_org],
            origin=crisis,
        )


__all__ = [
    "Dispersion",
    "ObservationBatch",
    "change_status",
    "ensure_series",
    "open_or_extend_signal",
    "queue_detection",
    "record_observations",
    "take_ownership",
]


def subscribe_alerts(
    *, by: Any, indicator: Indicator, area_codes: list[str], threshold: str
) -> AlertSubscription:
    """A weekly «OBS varsel» for municipalities the subscriber may see."""
    from beredskap.surveillance import queries

    allowed = {code for code, _name in queries.subscribable_areas(by, indicator)}
    codes = sorted(set(area_codes))
    if not codes:
        raise ValidationError({"area_codes": _("Velg minst én kommune.")})
    if not set(codes) <= allowed:
        raise ValidationError(
            {"area_codes": _("Du kan bare abonnere på kommuner du har tilgang til.")}
        )
    if threshold not in AlertThreshold.values:
        raise ValidationError({"threshold": _("Ukjent nivå.")})
    with acting_as(by), transaction.atomic():
        return AlertSubscription.objects.create(
            user=by, indicator=indicator, area_codes=codes, threshold=threshold
        )


def end_alerts(*, by: Any, subscription: AlertSubscription) -> None:
    if subscription.user_id != by.pk:
        raise ValidationError(_("Du kan bare avslutte dine egne varsler."))
    with acting_as(by), transaction.atomic():
        subscription.active = False
        subscription.save(update_fields=["active"])


def record_alert_dispatch(
    *,
    subscription: AlertSubscription,
    period: Any,
    outcome: str,
    address: str,
    series_count: int,
    error: str,
) -> AlertDispatch | None:
    """What a weekly run did for a subscription, once per week (None: recorded already)."""
    try:
        with transaction.atomic():
            return AlertDispatch.objects.create(
                subscription=subscription,
                period=period,
                outcome=outcome,
                address=address,
                series_count=series_count,
                error=error[:300],
            )
    except IntegrityError:  # another run recorded this week meanwhile
        return None


class ReportsRejected(Exception):
    """A FHIR Bundle with a bad report: nothing of it is stored (all or nothing)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def record_fhir_reports(*, by: Any, data: bytes) -> list[ObservationBatch]:
    """Store the counts of a FHIR MeasureReport or Bundle, all of it or none of it."""
    import json

    from beredskap.surveillance import fhir, queries

    try:
        resource = json.loads(data or b"null")
    except (ValueError, RecursionError):
        raise ReportsRejected([_("Ugyldig JSON.")]) from None
    try:
        reports = fhir.reports_of(resource)
    except fhir.ReportInvalid as exc:
        raise ReportsRejected(exc.problems) from None
    grouped: dict[str, list[dict[str, Any]]] = {}
    problems: list[str] = []
    for number, report in enumerate(reports, start=1):
        key, row, found = fhir.row_of(report, number)
        problems += found
        if not found:
            grouped.setdefault(key, []).append(row)
    indicators = {i.key: i for i in queries.indicators(by).filter(key__in=list(grouped))}
    problems += [_("Ukjent indikator: %(k)s") % {"k": k} for k in grouped if k not in indicators]
    if problems:
        raise ReportsRejected(problems)
    batches: list[ObservationBatch] = []
    with transaction.atomic():
        for key, rows in grouped.items():
            batch = record_observations(by=by, indicator=indicators[key], rows=rows, source="fhir")
            problems += [f"{key} {n}: {m}" for n, m in batch.errors]
            batches.append(batch)
        if problems:
            transaction.set_rollback(True)
    if problems:
        raise ReportsRejected(problems)
    return batches
