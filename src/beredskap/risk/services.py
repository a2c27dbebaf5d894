"""Every write to risk goes through here: permission, validation with a
clear Norwegian reason, then one audited transaction."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from beredskap.core.audit import acting_as
from beredskap.core.errors import Conflict, refuse_duplicate
from beredskap.core.holding import default_level, refuse_above_clearance
from beredskap.risk import classes, permissions, subjects
from beredskap.risk.classes import ConsequenceType
from beredskap.risk.models import (
    AnalysisScope,
    AnalysisStatus,
    ConsequenceAssessment,
    EventNature,
    Measure,
    MeasureStatus,
    RosAnalysis,
    UndesiredEvent,
    Vulnerability,
)

ANALYSIS_FIELDS = {
    "title",
    "scope",
    "risk_area",
    "municipality",
    "method",
    "summary",
    "period_start",
    "period_end",
    "revision_cycle_years",
    "planned_revision_on",
    "acceptance_profile",
    "acceptance_note",
    "classification",
    "exempt_public",
    "exempt_legal_basis",
}
EVENT_FIELDS = {
    "title",
    "risk_area",
    "nature",
    "description",
    "causes",
    "existing_barriers",
    "probability",
    "probability_rationale",
    "uncertainty",
    "knowledge_rationale",
    "value_class",
    "threat_actor",
    "threat_level",
    "vulnerability_level",
}
MEASURE_FIELDS = {"title", "owner", "due_date", "status", "effect", "effect_description"}


def _refuse_unknown(fields: dict[str, Any], allowed: set[str]) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(_("Ukjente felt: %(f)s") % {"f": ", ".join(sorted(unknown))})


def validate_analysis(analysis: RosAnalysis) -> None:
    """The rules an analysis must satisfy whatever its status."""
    errors: dict[str, str] = {}
    if (
        analysis.period_start
        and analysis.period_end
        and analysis.period_end < analysis.period_start
    ):
        errors["period_end"] = _("Perioden kan ikke slutte før den begynner.")
    if analysis.scope == AnalysisScope.RISK_AREA and not analysis.risk_area:
        errors["risk_area"] = _("Velg risikoområdet analysen gjelder.")
    if analysis.scope == AnalysisScope.MUNICIPALITY and analysis.municipality_id is None:
        errors["municipality"] = _("Velg kommunen analysen gjelder.")
    errors.update(subjects.subject_errors(analysis))
    if analysis.approved_on and analysis.approved_on > timezone.localdate():
        errors["approved_on"] = _("Godkjenningsdatoen kan ikke være fram i tid.")
    planned = analysis.planned_revision_on
    if planned and analysis.approved_on and planned < analysis.approved_on:
        errors["planned_revision_on"] = _("Revisjonsdatoen kan ikke være før godkjenningsdatoen.")
    elif planned and analysis.approved_on:
        years = (
            classes.SECTOR_CYCLE_YEARS
            if analysis.is_sector_comprehensive
            else analysis.revision_cycle_years
        )
        if planned > classes.add_years(analysis.approved_on, years):
            errors["planned_revision_on"] = _(
                "Planlagt revisjon kan ikke være etter fristen (%(d)s)."
            ) % {"d": classes.add_years(analysis.approved_on, years).strftime("%d.%m.%Y")}
    profile_problems = classes.profile_errors(analysis.acceptance_profile)
    if profile_problems:
        errors["acceptance_profile"] = " ".join(profile_problems)
    if errors:
        raise ValidationError(errors)
    analysis.full_clean(exclude=["previous"])


def create_analysis(*, by: Any, owner_org: Any, **fields: Any) -> RosAnalysis:
    """Start a new analysis as a draft owned by `owner_org`."""
    permissions.require_create(by, owner_org)
    _refuse_unknown(fields, ANALYSIS_FIELDS)
    fields.setdefault("classification", default_level(by, RosAnalysis))
    fields.setdefault("acceptance_profile", classes.default_profile())
    analysis = RosAnalysis(owner_org=owner_org, **fields)
    validate_analysis(analysis)
    refuse_above_clearance(by, analysis.classification)
    with acting_as(by), transaction.atomic():
        analysis.save()
    return analysis


def update_analysis(
    *, by: Any, analysis: RosAnalysis, expected_version: int, **changes: Any
) -> RosAnalysis:
    """Change an analysis in draft or consultation; refused on a stale version."""
    permissions.require_edit(by, analysis)
    _refuse_unknown(changes, ANALYSIS_FIELDS)
    _require_editable(analysis)
    criteria_changed = (
        "acceptance_profile" in changes
        and changes["acceptance_profile"] != analysis.acceptance_profile
    )
    for key, value in changes.items():
        setattr(analysis, key, value)
    if criteria_changed:
        # Changed criteria have not been discussed in the council (yet).
        analysis.acceptance_meeting = None
    validate_analysis(analysis)
    refuse_above_clearance(by, analysis.classification)
    with acting_as(by), transaction.atomic():
        analysis.version = expected_version
        analysis.save()
    return analysis


def record_acceptance_discussion(
    *, by: Any, analysis: RosAnalysis, meeting: Any, expected_version: int
) -> RosAnalysis:
    """Record the council meeting where the criteria for acceptable risk were discussed
    (Meld. St. 5 (2023–2024) 2.2.1: acceptance criteria are discussed in Helseberedskapsrådet).
    `meeting=None` clears the record."""
    from beredskap.actors.models import BodyKind, Meeting

    permissions.require_edit(by, analysis)
    if analysis.status == AnalysisStatus.SUPERSEDED:
        raise ValidationError(_("Analysen er erstattet og kan ikke endres."))
    if meeting is not None:
        meeting_id = meeting.pk if isinstance(meeting, Meeting) else meeting
        meeting = (
            Meeting.objects.visible_to(by).select_related("body").filter(pk=meeting_id).first()
        )
        if meeting is None:
            raise ValidationError(
                {"acceptance_meeting": _("Ukjent møte, eller du har ikke tilgang til det.")}
            )
        if meeting.body.kind != BodyKind.COUNCIL:
            raise ValidationError(
                {
                    "acceptance_meeting": _(
                        "Akseptkriteriene skal drøftes i rådet; velg et "
                        "møte i Helseberedskapsrådet."
                    )
                }
            )
        if meeting.starts_at > timezone.now():
            raise ValidationError({"acceptance_meeting": _("Møtet har ikke funnet sted ennå.")})
    analysis.acceptance_meeting = meeting
    with acting_as(by), transaction.atomic():
        analysis.version = expected_version
        analysis.save()
    return analysis


def _require_editable(analysis: RosAnalysis) -> None:
    if not analysis.is_editable:
        raise ValidationError(
            _("Analysen er %(s)s og kan ikke endres. Start en ny revisjon.")
            % {"s": analysis.get_status_display().lower()}
        )


def set_status(
    *,
    by: Any,
    analysis: RosAnalysis,
    status: str,
    expected_version: int,
    approved_on: date | None = None,
    approved_by: str = "",
) -> RosAnalysis:
    """Send to consultation, back to draft, or approve (which supersedes the previous revision)."""
    if status not in (AnalysisStatus.DRAFT, AnalysisStatus.CONSULTATION, AnalysisStatus.APPROVED):
        raise ValidationError(
            _("Ugyldig status. En analyse blir erstattet ved at en ny revisjon godkjennes.")
        )
    _require_editable(analysis)
    if status == AnalysisStatus.APPROVED:
        permissions.require_approve(by, analysis)
        if approved_on is None:
            raise ValidationError({"approved_on": _("Oppgi godkjenningsdato.")})
        if not analysis.events.exists():
            raise ValidationError(_("En analyse uten uønskede hendelser kan ikke godkjennes."))
        if (
            analysis.previous
            and analysis.previous.approved_on
            and approved_on < analysis.previous.approved_on
        ):
            raise ValidationError(
                {
                    "approved_on": _(
                        "Godkjenningsdatoen kan ikke være før forrige revisjon ble godkjent."
                    )
                }
            )
        analysis.approved_on, analysis.approved_by = approved_on, approved_by.strip()[:200]
    else:
        permissions.require_edit(by, analysis)
    analysis.status = status
    validate_analysis(analysis)
    refuse_above_clearance(by, analysis.classification)
    with acting_as(by), transaction.atomic():
        analysis.version = expected_version
        analysis.save()
        previous = analysis.previous
        if (
            status == AnalysisStatus.APPROVED
            and previous is not None
            and previous.status == AnalysisStatus.APPROVED
        ):
            previous.status = AnalysisStatus.SUPERSEDED
            previous.save()
    return analysis


def start_revision(*, by: Any, analysis: RosAnalysis) -> RosAnalysis:
    """A new revision as a draft copy of an approved analysis; the old one stays readable."""
    permissions.require_edit(by, analysis)
    if analysis.status != AnalysisStatus.APPROVED:
        raise ValidationError(_("Bare en godkjent analyse kan revideres."))
    duplicate = _("Det finnes allerede en ny revisjon av denne analysen.")
    if RosAnalysis.objects.filter(previous=analysis).exists():
        raise Conflict(duplicate, code="duplicate")
    with refuse_duplicate(duplicate), acting_as(by), transaction.atomic():
        copy = RosAnalysis.objects.create(
            owner_org=analysis.owner_org,
            classification=analysis.classification,
            exempt_public=analysis.exempt_public,
            exempt_legal_basis=analysis.exempt_legal_basis,
            title=analysis.title,
            scope=analysis.scope,
            risk_area=analysis.risk_area,
            municipality=analysis.municipality,
            method=analysis.method,
            summary=analysis.summary,
            period_start=timezone.localdate(),
            period_end=classes.add_years(timezone.localdate(), 4),
            revision_cycle_years=analysis.revision_cycle_years,
            acceptance_profile=analysis.acceptance_profile,
            acceptance_note=analysis.acceptance_note,
            previous=analysis,
            revision=analysis.revision + 1,
        )
        copy.shared_with_bodies.set(analysis.shared_with_bodies.all())
        for event in analysis.events.prefetch_related(
            "consequences", "vulnerabilities", "measures"
        ):
            _copy_event(event, copy)
    return copy


def _copy_event(event: UndesiredEvent, analysis: RosAnalysis) -> None:
    values = {name: getattr(event, name) for name in EVENT_FIELDS}
    clone = UndesiredEvent.objects.create(analysis=analysis, number=event.number, **values)
    for row in event.consequences.all():
        ConsequenceAssessment.objects.create(
            event=clone, kind=row.kind, level=row.level, rationale=row.rationale
        )
    for weakness in event.vulnerabilities.all():
        Vulnerability.objects.create(
            event=clone, description=weakness.description, level=weakness.level
        )
    for measure in event.measures.all():
        Measure.objects.create(
            event=clone, **{name: getattr(measure, name) for name in MEASURE_FIELDS}
        )


def _clean_consequences(consequences: dict[str, Any] | None) -> dict[str, int]:
    if consequences is None:
        return {}
    cleaned = {}
    for kind, level in consequences.items():
        if kind not in ConsequenceType.values:
            raise ValidationError({"consequences": _("Ukjent konsekvenstype: %(k)s") % {"k": kind}})
        if level in (None, ""):
            continue
        if isinstance(level, bool) or not isinstance(level, int) or level not in classes.CLASSES:
            raise ValidationError(
                {
                    "consequences": _("Konsekvensklassen må være et helt tall fra 1 til 5 (%(k)s).")
                    % {"k": ConsequenceType(kind).label}
                }
            )
        cleaned[kind] = level
    return cleaned


def validate_event(event: UndesiredEvent, consequences: dict[str, int]) -> None:
    """DSB classes for unintentional events; intentional acts need a probability or a full
    value–threat–vulnerability assessment (NS 5832)."""
    if event.probability is not None and event.probability not in classes.CLASSES:
        raise ValidationError(
            {"probability": _("Sannsynlighet må være en klasse fra A (1) til E (5).")}
        )
    vtv = (event.value_class, event.threat_level, event.vulnerability_level)
    if event.nature == EventNature.UNINTENTIONAL and event.probability is None:
        raise ValidationError({"probability": _("Oppgi sannsynlighet for en utilsiktet hendelse.")})
    if event.nature == EventNature.INTENTIONAL and event.probability is None and None in vtv:
        raise ValidationError(
            {
                "threat_level": _(
                    "En tilsiktet handling trenger sannsynlighet eller en "
                    "fullstendig verdi–trussel–sårbarhetsvurdering."
                )
            }
        )
    if not consequences:
        raise ValidationError({"consequences": _("Vurder konsekvens for minst én konsekvenstype.")})
    event.full_clean(exclude=["analysis", "number"])


def _save_consequences(
    event: UndesiredEvent, consequences: dict[str, int], rationales: dict[str, str]
) -> None:
    existing = {row.kind: row for row in event.consequences.all()}
    for kind, row in existing.items():
        if kind not in consequences:
            row.delete()
    for kind, level in consequences.items():
        row = existing.get(kind) or ConsequenceAssessment(event=event, kind=kind, level=level)
        row.level, row.rationale = level, rationales.get(kind, row.rationale or "")
        row.save()


def add_event(
    *,
    by: Any,
    analysis: RosAnalysis,
    consequences: dict[str, Any],
    rationales: dict[str, str] | None = None,
    **fields: Any,
) -> UndesiredEvent:
    """Add an undesired event with its consequence classes per consequence type."""
    permissions.require_edit(by, analysis)
    _require_editable(analysis)
    _refuse_unknown(fields, EVENT_FIELDS)
    fields.setdefault("risk_area", analysis.risk_area or "general")
    event = UndesiredEvent(analysis=analysis, **fields)
    cleaned = _clean_consequences(consequences)
    validate_event(event, cleaned)
    with acting_as(by), transaction.atomic():
        last = analysis.events.aggregate(n=Max("number"))["n"] or 0
        event.number = last + 1
        event.save()
        _save_consequences(event, cleaned, rationales or {})
    return event


def update_event(
    *,
    by: Any,
    event: UndesiredEvent,
    expected_version: int,
    consequences: dict[str, Any] | None = None,
    rationales: dict[str, str] | None = None,
    **changes: Any,
) -> UndesiredEvent:
    """Change an event; a second user editing the same version is told, not overwritten."""
    permissions.require_edit(by, event.analysis)
    _require_editable(event.analysis)
    _refuse_unknown(changes, EVENT_FIELDS)
    for key, value in changes.items():
        setattr(event, key, value)
    cleaned = (
        _clean_consequences(consequences)
        if consequences is not None
        else {row.kind: row.level for row in event.consequences.all()}
    )
    validate_event(event, cleaned)
    with acting_as(by), transaction.atomic():
        event.version = expected_version
        event.save()
        if consequences is not None:
            _save_consequences(event, cleaned, rationales or {})
    return event


def delete_event(*, by: Any, event: UndesiredEvent) -> None:
    permissions.require_edit(by, event.analysis)
    _require_editable(event.analysis)
    with acting_as(by), transaction.atomic():
        event.delete()


def add_vulnerability(
    *, by: Any, event: UndesiredEvent, description: str, level: int = 2
) -> Vulnerability:
    permissions.require_edit(by, event.analysis)
    _require_editable(event.analysis)
    if not description.strip():
        raise ValidationError({"description": _("Beskriv sårbarheten.")})
    row = Vulnerability(event=event, description=description.strip(), level=level)
    row.full_clean()
    with acting_as(by), transaction.atomic():
        row.save()
    return row


def _validate_measure(measure: Measure) -> None:
    if measure.owner_id is None:
        raise ValidationError({"owner": _("Tiltaket må ha en ansvarlig organisasjon som finnes.")})
    if measure.status not in MeasureStatus.values:
        raise ValidationError({"status": _("Ukjent status.")})
    measure.full_clean(exclude=["event"])


def add_measure(*, by: Any, event: UndesiredEvent, **fields: Any) -> Measure:
    """Propose a risk-reducing measure with owner, due date and expected effect."""
    permissions.require_edit(by, event.analysis)
    _require_editable(event.analysis)
    _refuse_unknown(fields, MEASURE_FIELDS)
    measure = Measure(event=event, **fields)
    _validate_measure(measure)
    with acting_as(by), transaction.atomic():
        measure.save()
    return measure


def update_measure(*, by: Any, measure: Measure, expected_version: int, **changes: Any) -> Measure:
    """Change a measure. Status may be followed up after approval; other fields only in draft."""
    analysis = measure.event.analysis
    if not (permissions.can_edit(by, analysis) or permissions.writes_for(by, measure.owner)):
        raise permissions.PermissionDenied(_("Du har ikke tilgang til å endre tiltaket."))
    _refuse_unknown(changes, MEASURE_FIELDS)
    if set(changes) - {"status"} and not analysis.is_editable:
        _require_editable(analysis)
    for key, value in changes.items():
        setattr(measure, key, value)
    _validate_measure(measure)
    with acting_as(by), transaction.atomic():
        measure.version = expected_version
        measure.save()
    return measure


def deletion_blockers(analysis: RosAnalysis) -> list[str]:
    """Why an analysis may not be deleted (empty when it may). Counts only, so nothing about
    records the user cannot see is revealed beyond their number."""
    from beredskap.planning.models import Scenario

    reasons = []
    successor = RosAnalysis.objects.filter(previous=analysis).first()
    if successor is not None:
        reasons.append(
            _(
                "Analysen har en nyere revisjon (rev. %(n)s) som bygger på den. Tidligere "
                "revisjoner beholdes slik at det er sporbart hva som gjaldt."
            )
            % {"n": successor.revision}
        )
    scenarios = Scenario.objects.filter(source_events__analysis=analysis).distinct().count()
    if scenarios:
        reasons.append(
            _(
                "%(n)s scenario(er) er avledet fra hendelser i analysen. Fjern koblingen i "
                "scenarioene først."
            )
            % {"n": scenarios}
        )
    return reasons


def delete_analysis(*, by: Any, analysis: RosAnalysis) -> None:
    """Delete an analysis with its events. Refused when a newer revision or a scenario builds on
    it; deleting the approved current revision makes the one it replaced current again."""
    from beredskap.core.audit import record_event

    permissions.require_delete(by, analysis)
    reasons = deletion_blockers(analysis)
    if reasons:
        raise ValidationError(reasons)
    previous = analysis.previous
    # The analysis' own delete is audited by the base model; its events go by cascade, so
    # record which ones went with it.
    detail = {
        "analysis": analysis.pk,
        "events": list(analysis.events.values_list("number", "title")),
    }
    with acting_as(by), transaction.atomic():
        was_approved = analysis.status == AnalysisStatus.APPROVED
        # Children first, each as a full queryset: the collector of a cascade would load them
        # with deferred fields, which the base model's change snapshot cannot take.
        events = UndesiredEvent.objects.filter(analysis=analysis)
        for model in (ConsequenceAssessment, Vulnerability, Measure):
            model.objects.filter(event__in=events).delete()
        events.delete()
        analysis.delete()
        if was_approved and previous is not None and previous.status == AnalysisStatus.SUPERSEDED:
            previous.status = AnalysisStatus.APPROVED
            previous.save()
        record_event("delete", actor=by, label="risk.undesiredevent", detail=detail)
