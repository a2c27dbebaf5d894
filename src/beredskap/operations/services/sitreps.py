"""Reporting cycles and situation reports; the statsforvalter's county report and the national
summary are assembled from the reports below them (Meld. St. 5 (2023–2024) 2.3)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from beredskap.actors.models import Organisation, OrganisationKind
from beredskap.core.audit import acting_as
from beredskap.core.errors import Conflict, PermissionDenied
from beredskap.core.timeutil import OSLO, wall_instants
from beredskap.operations import integrations
from beredskap.operations.models import Crisis, ReportingCycle, SituationReport, StatusColour
from beredskap.operations.models.sitreps import SECTIONS, ReportKind
from beredskap.operations.permissions import (
    is_coordinator,
    reports_for,
    require_coordinator,
    require_open,
)
from beredskap.operations.services.crises import grant_participants, log


def create_cycle(
    *,
    by: Any,
    crisis: Crisis,
    name: str,
    due_time: time,
    starts_on: date,
    org_kinds: Sequence[str] = (),
    organisations: Any = (),
    interval_hours: int = 24,
) -> ReportingCycle:
    """A reporting cycle: to organisation types (within the crisis geography) and/or named
    organisations."""
    require_coordinator(by, crisis)
    require_open(crisis)
    bad = set(org_kinds) - set(OrganisationKind.values)
    if bad:
        raise ValidationError(
            {"org_kinds": _("Ukjente organisasjonstyper: %(k)s") % {"k": ", ".join(sorted(bad))}}
        )
    if not org_kinds and not organisations:
        raise ValidationError(_("Velg hvem som skal rapportere."))
    if (
        due_time.tzinfo is not None
    ):  # a deadline is Oslo wall time; an offset would be wrong half the year
        raise ValidationError({"due_time": _("Oppgi klokkeslett uten tidssone (norsk tid).")})
    if not 1 <= interval_hours <= 24 * 7:
        raise ValidationError({"interval_hours": _("Intervallet må være mellom 1 time og 7 døgn.")})
    with acting_as(by), transaction.atomic():
        cycle = ReportingCycle.objects.create(
            crisis=crisis,
            name=name.strip(),
            due_time=due_time,
            starts_on=starts_on,
            org_kinds=list(org_kinds),
            interval_hours=interval_hours,
        )
        cycle.organisations.set(organisations)
        grant_participants(
            by=by,
            crisis=crisis,
            organisations=expected_organisations(cycle),
            reason=_("Rapporterer i krisen"),
        )
        log(
            crisis=crisis,
            by=by,
            kind="cycle",
            text=_("Rapporteringssyklus «%(n)s» opprettet, frist %(t)s.")
            % {"n": cycle.name, "t": due_time.strftime("%H:%M")},
        )
    return cycle


def expected_organisations(cycle: ReportingCycle) -> list[Organisation]:
    """Who must report: the named organisations and those of the chosen kinds in the crisis's
    area."""
    return list(_expected(cycle).order_by("name"))


def is_expected(cycle: ReportingCycle, organisation: Organisation) -> bool:
    return _expected(cycle).filter(pk=organisation.pk).exists()


def _expected(cycle: ReportingCycle) -> Any:
    counties = list(cycle.crisis.counties.all())
    condition = Q(pk__in=cycle.organisations.values("pk"))
    for kind in cycle.org_kinds:
        part = Q(kind=kind)
        if counties and kind == OrganisationKind.MUNICIPALITY:
            part &= Q(municipality__county__in=counties)
        elif counties and kind == OrganisationKind.STATSFORVALTER:
            part &= Q(served_counties__in=counties)
        elif counties and kind in (OrganisationKind.HF, OrganisationKind.RHF):
            part &= Q(health_region__counties__in=counties)
        condition |= part
    return Organisation.objects.filter(condition).distinct()


def _deadline_stream(cycle: ReportingCycle) -> Iterator[datetime]:
    """Every deadline of the cycle from its first day, in order, as instants.

    Deadlines are laid out in Oslo wall time (a daily 12:00 stays at 12:00 across both changes);
    a wall time in the spring gap is moved forward by the gap, so an hourly cycle has no
    duplicate; a wall time in the repeated autumn hour is a deadline once for a daily cycle and
    twice for an hourly one (both hours pass, and each is reported).
    """
    wall = datetime.combine(cycle.starts_on, cycle.due_time.replace(tzinfo=None))
    step = timedelta(hours=cycle.interval_hours)
    last: datetime | None = None
    while True:
        for at in wall_instants(wall, OSLO, both_folds=cycle.interval_hours == 1):
            if last is None or at.astimezone(UTC) > last.astimezone(UTC):
                last = at
                yield at
        wall += step


def deadlines(cycle: ReportingCycle, until: datetime) -> list[datetime]:
    """The cycle's deadlines from its first day up to `until` (computed, never typed)."""
    end = until.astimezone(UTC)
    if cycle.ends_on is not None:
        last_day = wall_instants(datetime.combine(cycle.ends_on, time(23, 59)), both_folds=False)
        end = min(end, last_day[0].astimezone(UTC))
    found = []
    for at in _deadline_stream(cycle):
        if at.astimezone(UTC) > end:
            break
        found.append(at)
    return found


def next_deadline(cycle: ReportingCycle, now: datetime) -> datetime:
    moment = now.astimezone(UTC)
    for at in _deadline_stream(cycle):
        if at.astimezone(UTC) > moment:
            return at
    raise AssertionError("unreachable: the stream of deadlines is endless")


def default_period(cycle: ReportingCycle, organisation: Organisation, now: datetime) -> datetime:
    """The latest passed deadline if still unreported (late report), otherwise the next one."""
    past = deadlines(cycle, now)
    if (
        past
        and not SituationReport.objects.filter(
            cycle=cycle,
            organisation=organisation,
            period_due=past[-1],
            kind=ReportKind.ORGANISATION,
        ).exists()
    ):
        return past[-1]
    return next_deadline(cycle, now)


def _validate_period(cycle: ReportingCycle, period_due: datetime, now: datetime) -> None:
    """The period must be one of the cycle's deadlines, compared as instants in UTC (two Oslo
    times of the repeated autumn hour compare equal by wall clock and hash apart)."""
    if timezone.is_naive(period_due):
        raise ValidationError(
            {"period_due": _("Fristen må ha tidssone (f.eks. 2026-10-25T02:00:00+01:00).")}
        )
    allowed = {at.astimezone(UTC) for at in deadlines(cycle, now)}
    allowed.add(next_deadline(cycle, now).astimezone(UTC))
    if period_due.astimezone(UTC) not in allowed:
        raise ValidationError({"period_due": _("Tidspunktet er ikke en rapportfrist i syklusen.")})


def _check_fields(fields: dict[str, Any]) -> None:
    """Every status chosen and the situation described, all errors at once: a report with a
    default colour tells the coordinator nothing (white paper 2.3, a common picture)."""
    errors: dict[str, str] = {}
    if not str(fields.get("situation") or "").strip():
        errors["situation"] = _("Beskriv situasjonen.")
    for section in SECTIONS:
        if fields.get(f"{section}_colour") not in StatusColour.values:
            errors[f"{section}_colour"] = _("Velg statusfarge (grønn, gul eller rød).")
    absence = fields.get("personnel_absence_pct")
    if absence is not None and not 0 <= absence <= 100:
        errors["personnel_absence_pct"] = _("Fravær må være mellom 0 og 100 prosent.")
    if errors:
        raise ValidationError(errors)


def submit_report(
    *,
    by: Any,
    cycle: ReportingCycle,
    organisation: Organisation,
    period_due: datetime | None = None,
    classification: int | None = None,
    **fields: Any,
) -> SituationReport:
    """Submit one organisation's report for one period; capacity figures are taken live from
    capacity."""
    crisis = cycle.crisis
    require_open(crisis)
    if not (reports_for(by, organisation) or is_coordinator(by, crisis)):
        raise PermissionDenied(_("Du kan bare rapportere for din egen organisasjon."))
    if not is_expected(cycle, organisation):
        raise ValidationError(
            _("%(o)s er ikke med i rapporteringssyklusen «%(c)s».")
            % {"o": organisation.name, "c": cycle.name}
        )
    unknown = set(fields) - {*SECTIONS, *(f"{s}_colour" for s in SECTIONS), "personnel_absence_pct"}
    if unknown:
        raise ValidationError(_("Ukjente felt: %(f)s") % {"f": ", ".join(sorted(unknown))})
    _check_fields(fields)
    now = timezone.now()
    period_due = period_due or default_period(cycle, organisation, now)
    _validate_period(cycle, period_due, now)
    level = crisis.classification if classification is None else classification
    if level > crisis.classification:
        raise ValidationError(_("Rapporten kan ikke graderes høyere enn krisen."))
    capacity, _ok = integrations.bed_picture(by, organisation_ids=[organisation.pk])
    try:
        with acting_as(by), transaction.atomic():
            report = SituationReport(
                crisis=crisis,
                cycle=cycle,
                organisation=organisation,
                period_due=period_due,
                submitted_at=now,
                submitted_by=by,
                classification=level,
                capacity=capacity,
                **fields,
            )
            # crisis, cycle, organisation and user are loaded objects: skip full_clean's existence
            # queries
            report.full_clean(
                exclude=["sources", "capacity", "crisis", "cycle", "organisation", "submitted_by"],
                validate_constraints=False,
            )
            report.save()
    except IntegrityError as exc:
        raise Conflict(
            _("%(o)s har allerede levert rapport for denne fristen.") % {"o": organisation.name},
            code="duplicate",
        ) from exc
    return report


def _summarise(reports: list[SituationReport], section: str) -> str:
    lines = [
        f"{r.organisation.name} ({StatusColour(getattr(r, f'{section}_colour')).label}): "
        f"{getattr(r, section)}"
        for r in reports
        if getattr(r, section).strip()
    ]
    return "\n".join(lines)


def _sum_capacity(reports: list[SituationReport]) -> list[dict[str, Any]]:
    totals: dict[str, dict[str, Any]] = {}
    for report in reports:
        for line in report.capacity or []:
            row = totals.setdefault(
                line.get("category", ""),
                {
                    "category": line.get("category", ""),
                    "label": line.get("label", ""),
                    "staffed": 0,
                    "occupied": 0,
                    "available": 0,
                },
            )
            for key in ("staffed", "occupied", "available"):
                row[key] += int(line.get(key) or 0)
    return list(totals.values())


def _assemble(
    *,
    by: Any,
    cycle: ReportingCycle,
    organisation: Organisation,
    period_due: datetime,
    kind: str,
    sources: list[SituationReport],
    missing: list[str],
    awaited: list[str] = (),  # type: ignore[assignment]
    capacity: list[dict[str, Any]] | None = None,
) -> SituationReport:
    fields: dict[str, Any] = {}
    for section in SECTIONS:
        fields[section] = _summarise(sources, section)
        fields[f"{section}_colour"] = (
            StatusColour.worst([getattr(r, f"{section}_colour") for r in sources])
            or StatusColour.YELLOW
        )
    if missing:
        fields["situation"] = (
            (_("Mangler rapport fra: %(m)s") % {"m": ", ".join(missing)})
            + "\n"
            + fields["situation"]
        )
        fields["situation_colour"] = StatusColour.worst(
            [fields["situation_colour"], StatusColour.YELLOW]
        )
    if awaited:
        fields["situation"] = (
            (_("Fristen er ikke passert; venter på: %(m)s") % {"m": ", ".join(awaited)})
            + "\n"
            + fields["situation"]
        )
    absences = [r.personnel_absence_pct for r in sources if r.personnel_absence_pct is not None]
    level = max([cycle.crisis.classification, *[r.classification for r in sources]])
    with acting_as(by), transaction.atomic():
        report, _created = SituationReport.objects.update_or_create(
            cycle=cycle,
            organisation=organisation,
            period_due=period_due,
            kind=kind,
            defaults=dict(
                crisis=cycle.crisis,
                submitted_at=timezone.now(),
                submitted_by=by,
                classification=level,
                capacity=_sum_capacity(sources) if capacity is None else capacity,
                draft=kind == ReportKind.COUNTY,
                personnel_absence_pct=round(sum(absences) / len(absences), 1) if absences else None,
                **fields,
            ),
        )
        report.sources.set(sources)
    return report


def build_county_report(
    *, by: Any, cycle: ReportingCycle, statsforvalter: Organisation, period_due: datetime
) -> SituationReport:
    """The statsforvalter's county report from its municipalities' reports for one period."""
    if statsforvalter.kind != OrganisationKind.STATSFORVALTER:
        raise ValidationError(_("Fylkesrapporten lages av et statsforvalterembete."))
    if not (reports_for(by, statsforvalter) or is_coordinator(by, cycle.crisis)):
        raise PermissionDenied(_("Du kan bare lage fylkesrapport for ditt eget embete."))
    municipalities = [
        o
        for o in expected_organisations(cycle)
        if o.kind == OrganisationKind.MUNICIPALITY
        and o.municipality
        and o.municipality.county_id
        in set(statsforvalter.served_counties.values_list("pk", flat=True))
    ]
    sources = list(
        SituationReport.objects.filter(
            cycle=cycle,
            period_due=period_due,
            kind=ReportKind.ORGANISATION,
            organisation__in=municipalities,
        ).select_related("organisation")
    )
    if not sources:
        raise ValidationError(_("Ingen kommunerapporter for denne fristen ennå."))
    filed = SituationReport.objects.filter(
        cycle=cycle,
        organisation=statsforvalter,
        period_due=period_due,
        kind=ReportKind.COUNTY,
        draft=False,
    )
    if filed.exists():
        raise ValidationError(_("Fylkesrapporten for denne fristen er allerede sendt inn."))
    reported = {r.organisation_id for r in sources}
    unreported = [o.name for o in municipalities if o.pk not in reported]
    passed = timezone.now() > period_due
    return _assemble(
        by=by,
        cycle=cycle,
        organisation=statsforvalter,
        period_due=period_due,
        kind=ReportKind.COUNTY,
        sources=sources,
        missing=unreported if passed else [],
        awaited=[] if passed else unreported,
        capacity=county_capacity(by, statsforvalter),
    )


def county_capacity(by: Any, statsforvalter: Organisation) -> list[dict[str, Any]]:
    """Bed figures of the whole county (hospital trusts serving it as well as municipalities),
    as the user may see them: the county picture is more than municipal beds (white paper 2.3)."""
    counties = statsforvalter.served_counties.all()
    org_ids = list(
        Organisation.objects.filter(
            Q(municipality__county__in=counties) | Q(served_municipalities__county__in=counties)
        )
        .distinct()
        .values_list("pk", flat=True)
    )
    lines, _ok = integrations.bed_picture(by, organisation_ids=org_ids)
    return lines


def build_national_summary(
    *, by: Any, cycle: ReportingCycle, period_due: datetime
) -> SituationReport:
    """The national summary from the regional (county) reports and direct reports of
    HF/RHF/agencies."""
    require_coordinator(by, cycle.crisis)
    sources = list(
        SituationReport.objects.filter(cycle=cycle, period_due=period_due, draft=False)
        .filter(
            Q(kind=ReportKind.COUNTY)
            | (
                Q(kind=ReportKind.ORGANISATION)
                & ~Q(organisation__kind=OrganisationKind.MUNICIPALITY)
            )
        )
        .select_related("organisation")
    )
    if not sources:
        raise ValidationError(_("Ingen regionale rapporter for denne fristen ennå."))
    expected_sf = [
        o.name for o in expected_organisations(cycle) if o.kind == OrganisationKind.STATSFORVALTER
    ]
    have = {r.organisation.name for r in sources if r.kind == ReportKind.COUNTY}
    return _assemble(
        by=by,
        cycle=cycle,
        organisation=cycle.crisis.owner_org,
        period_due=period_due,
        kind=ReportKind.NATIONAL,
        sources=sources,
        missing=[n for n in expected_sf if n not in have],
    )


def overdue(
    cycle: ReportingCycle, now: datetime | None = None
) -> list[tuple[Organisation, datetime]]:
    """Organisations with no report at all for the latest passed deadline. A report that arrived
    after the deadline is received for that period (shown as late), never missing; statsforvaltere
    are left out (they deliver the county report, not an organisation report)."""
    past = deadlines(cycle, now or timezone.now())
    if not past:
        return []
    return [(o, past[-1]) for o in _unreported(cycle, past[-1])]


def awaited(cycle: ReportingCycle, now: datetime | None = None) -> list[Organisation]:
    """Organisations that have not yet reported for the next deadline (not late yet)."""
    return _unreported(cycle, next_deadline(cycle, now or timezone.now()))


def _unreported(cycle: ReportingCycle, due: datetime) -> list[Organisation]:
    """Expected reporters without an own report for `due`; statsforvalter's county report is
    built, not sent."""
    done = set(
        SituationReport.objects.filter(
            cycle=cycle, period_due=due, kind=ReportKind.ORGANISATION
        ).values_list("organisation_id", flat=True)
    )
    return [
        o
        for o in expected_organisations(cycle)
        if o.pk not in done and o.kind != OrganisationKind.STATSFORVALTER
    ]
