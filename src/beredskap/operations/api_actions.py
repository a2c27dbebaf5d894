"""Operations API, follow-up of a crisis: one report and the national
summary, decision and task registers with task status, requests with their coverage, adjusting a
proposed allocation line, ending a deployment, and the public alerts with update and cancel.
Registered on the operations router; lists are read through the user's visible set."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Schema, Status
from pydantic import AwareDatetime

from beredskap.core.apipaging import LimitOffsetPagination, paginate
from beredskap.core.audit import record_reads
from beredskap.core.idempotency import idempotent
from beredskap.core.models import Municipality
from beredskap.operations import queries
from beredskap.operations.api import (
    ERRORS,
    AlertIn,
    ErrorOut,
    SituationReportOut,
    _crisis,
    conflict_or_raise,
    router,
)
from beredskap.operations.models import AllocationLine, Deployment, MobilisationRequest
from beredskap.operations.services import alerts, decisions, resources, sitreps


@router.get("/crises/{crisis_id}/reports/{report_id}", response={200: dict, 404: ErrorOut})
def get_report(request: HttpRequest, crisis_id: int, report_id: int):
    report = get_object_or_404(
        queries.reports(request.auth, _crisis(request, crisis_id)), pk=report_id
    )
    record_reads(request.auth, [report])
    return {
        **SituationReportOut.from_orm(report).dict(),
        "organisation": report.organisation.name,
        "sections": [
            {"label": str(label), "text": text, "colour": colour}
            for label, text, colour in report.sections()
        ],
        "personnel_absence_pct": report.personnel_absence_pct,
    }


class SummaryIn(Schema):
    period_due: AwareDatetime


@router.post(
    "/crises/{crisis_id}/cycles/{cycle_id}/national-summary",
    response={201: SituationReportOut, **ERRORS},
)
@idempotent
def national_summary(request: HttpRequest, crisis_id: int, cycle_id: int, payload: SummaryIn):
    cycle = get_object_or_404(_crisis(request, crisis_id).cycles, pk=cycle_id)
    report = sitreps.build_national_summary(
        by=request.auth, cycle=cycle, period_due=payload.period_due
    )
    return Status(201, SituationReportOut.from_orm(report).dict())


@router.get("/crises/{crisis_id}/decisions", response=list[dict])
@paginate(LimitOffsetPagination)
def list_decisions(request: HttpRequest, crisis_id: int, in_force: bool = False):
    crisis = _crisis(request, crisis_id)
    rows = (
        queries.decisions_in_force(request.auth, crisis)
        if in_force
        else queries.decisions(request.auth, crisis)
        .prefetch_related("measures")
        .order_by("-valid_from")
    )
    return [
        {
            "id": d.pk,
            "title": d.title,
            "authority": d.authority.name if d.authority_id else None,
            "level": d.level,
            "subsidiarity": d.subsidiarity,
            "legal_basis": d.legal_basis,
            "legal_section": d.legal_section,
            "valid_from": d.valid_from,
            "valid_until": d.valid_until,
            "review_on": d.review_on,
            "measures": [m.text for m in d.measures.all()],
            "classification": d.classification,
        }
        for d in rows
    ]


@router.get("/crises/{crisis_id}/tasks", response=list[dict])
@paginate(LimitOffsetPagination)
def list_tasks(request: HttpRequest, crisis_id: int, open_only: bool = False):
    crisis = _crisis(request, crisis_id)
    rows = (
        queries.open_tasks(request.auth, crisis)
        if open_only
        else queries.tasks(request.auth, crisis)
    )
    overdue = {t.pk for t in decisions.overdue_tasks(rows)}
    return [
        {
            "id": t.pk,
            "title": t.title,
            "owner_org_id": t.owner_org_id,
            "due_at": t.due_at,
            "status": t.status,
            "version": t.version,
            "overdue": t.pk in overdue,
            "depends_on": list(t.depends_on.values_list("pk", flat=True)),
        }
        for t in rows.order_by("due_at")
    ]


class TaskStatusIn(Schema):
    status: str
    version: int = Field(ge=1)


@router.post("/crises/{crisis_id}/tasks/{task_id}/status", response={200: dict, **ERRORS})
@idempotent
def set_task_status(request: HttpRequest, crisis_id: int, task_id: int, payload: TaskStatusIn):
    task = get_object_or_404(queries.tasks(request.auth, _crisis(request, crisis_id)), pk=task_id)
    t = decisions.set_task_status(
        by=request.auth, task=task, status=payload.status, expected_version=payload.version
    )
    return Status(200, {"id": t.pk, "status": t.status, "version": t.version})


@router.get("/crises/{crisis_id}/requests", response=list[dict])
@paginate(LimitOffsetPagination)
def list_requests(request: HttpRequest, crisis_id: int):
    rows = list(
        queries.requests(request.auth, _crisis(request, crisis_id)).order_by(
            "-priority", "deadline"
        )
    )
    done = resources.covered([r.pk for r in rows])
    deployed = resources.deployed_units([r.pk for r in rows])
    return [
        {
            "id": r.pk,
            "requested_by_id": r.requested_by_id,
            "kind": r.kind,
            "item": r.item,
            "competence": r.competence,
            "quantity": r.quantity,
            "covered": done.get(r.pk, 0),
            "deployed": deployed.get(r.pk, 0),
            "location": r.location.number,
            "priority": r.priority,
            "deadline": r.deadline,
            "status": r.status,
        }
        for r in rows
    ]


@router.get("/crises/{crisis_id}/mobilisations", response=list[dict])
@paginate(LimitOffsetPagination)
def list_mobilisations(request: HttpRequest, crisis_id: int):
    """Every request to a reserve person in the crisis and her answer (registry label only)."""
    crisis = _crisis(request, crisis_id)
    rows = MobilisationRequest.objects.filter(line__proposal__crisis=crisis).order_by(
        "asked_at", "id"
    )
    return [
        {
            "id": m.pk,
            "line_id": m.line_id,
            "request_id": m.line.request_id,
            "reserve_label": m.reserve_label,
            "status": m.status,
            "asked_at": m.asked_at,
            "deadline": m.deadline,
            "answered_at": m.answered_at,
            "deliveries": [{k: d.get(k) for k in ("channel", "ok", "error")} for d in m.deliveries],
        }
        for m in rows.select_related("line")
    ]


class LineIn(Schema):
    quantity: int = Field(ge=0)
    version: int = Field(ge=1)


@router.post(
    "/crises/{crisis_id}/allocations/{proposal_id}/lines/{line_id}", response={200: dict, **ERRORS}
)
@idempotent
def adjust_line(
    request: HttpRequest, crisis_id: int, proposal_id: int, line_id: int, payload: LineIn
):
    proposal = get_object_or_404(_crisis(request, crisis_id).proposals, pk=proposal_id)
    line = get_object_or_404(AllocationLine.objects.filter(proposal=proposal), pk=line_id)
    try:
        line = resources.adjust_line(
            by=request.auth, line=line, quantity=payload.quantity, expected_version=payload.version
        )
    except ValidationError as exc:
        return conflict_or_raise(exc)
    proposal.refresh_from_db()
    return Status(
        200, {"id": line.pk, "quantity": line.quantity, "proposal_version": proposal.version}
    )


class EndIn(Schema):
    version: int = Field(ge=1)
    note: str = Field("", max_length=300)


@router.post("/crises/{crisis_id}/deployments/{deployment_id}/end", response={200: dict, **ERRORS})
@idempotent
def end_deployment(request: HttpRequest, crisis_id: int, deployment_id: int, payload: EndIn):
    crisis = _crisis(request, crisis_id)
    deployment = get_object_or_404(
        Deployment.objects.filter(line__proposal__crisis=crisis), pk=deployment_id
    )
    try:
        d = resources.end_deployment(
            by=request.auth,
            deployment=deployment,
            expected_version=payload.version,
            note=payload.note,
        )
    except ValidationError as exc:
        return conflict_or_raise(exc)
    return Status(200, {"id": d.pk, "ended_at": d.ended_at, "note": d.note})


def _alert_out(a) -> dict:
    return {
        "id": a.pk,
        "identifier": a.identifier,
        "status": a.status,
        "msg_type": a.msg_type,
        "event": a.event,
        "sent": a.sent,
        "references": a.references.identifier if a.references_id else None,
        "headlines": {i.language: i.headline for i in a.infos.all()},
    }


@router.get("/crises/{crisis_id}/alerts", response=list[dict])
@paginate(LimitOffsetPagination)
def list_alerts(request: HttpRequest, crisis_id: int):
    rows = (
        queries.alerts(request.auth, _crisis(request, crisis_id))
        .select_related("references")
        .order_by("-sent")
    )
    return [_alert_out(a) for a in rows]


def _previous(request: HttpRequest, crisis_id: int, alert_id: int):
    return get_object_or_404(queries.alerts(request.auth, _crisis(request, crisis_id)), pk=alert_id)


@router.post("/crises/{crisis_id}/alerts/{alert_id}/update", response={201: dict, **ERRORS})
@idempotent
def update_alert(request: HttpRequest, crisis_id: int, alert_id: int, payload: AlertIn):
    municipalities = list(Municipality.objects.filter(number__in=payload.municipality_numbers))
    if len(municipalities) != len(set(payload.municipality_numbers)):
        raise ValidationError({"municipality_numbers": "Ukjent kommunenummer."})
    a = alerts.update_alert(
        by=request.auth,
        previous=_previous(request, crisis_id, alert_id),
        event=payload.event,
        urgency=payload.urgency,
        severity=payload.severity,
        certainty=payload.certainty,
        infos=[i.dict() for i in payload.infos],
        municipalities=municipalities,
        expires=payload.expires,
    )
    return Status(201, _alert_out(a))


class CancelIn(Schema):
    note: str = Field(min_length=1, max_length=500)


@router.post("/crises/{crisis_id}/alerts/{alert_id}/cancel", response={201: dict, **ERRORS})
@idempotent
def cancel_alert(request: HttpRequest, crisis_id: int, alert_id: int, payload: CancelIn):
    a = alerts.cancel_alert(
        by=request.auth, previous=_previous(request, crisis_id, alert_id), note=payload.note
    )
    return Status(201, _alert_out(a))
