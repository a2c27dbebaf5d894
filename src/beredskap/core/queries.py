"""Read helpers of the shared kernel: the start page and the audit trail."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from beredskap.core.access import access_context
from beredskap.core.models import AuditEvent


def start_page(user: Any) -> dict[str, Any]:
    """My organisations, my bodies and follow-up actions due (issue 2, point 7)."""
    from beredskap.actors.models import ActionStatus, Body, FollowUpAction, Meeting, Organisation

    context = access_context(user)
    today = timezone.localdate()
    visible_meetings = Meeting.objects.visible_to(user)
    actions = (
        FollowUpAction.objects.filter(
            meeting__in=visible_meetings, owner_org_id__in=context.member_org_ids
        )
        .exclude(status__in=[ActionStatus.DONE, ActionStatus.CANCELLED])
        .filter(due_date__lte=today + timedelta(days=30))
        .select_related("owner_org", "meeting")
        .order_by("due_date")[:20]
    )
    return {
        "panels": app_start_panels(user),
        "my_orgs": Organisation.objects.filter(id__in=context.member_org_ids).select_related(
            "parent"
        ),
        "my_bodies": Body.objects.filter(id__in=context.body_ids).select_related("lead_org"),
        "actions_due": list(actions),
        "today": today,
        "upcoming_meetings": visible_meetings.filter(
            body_id__in=context.body_ids, starts_at__gte=timezone.now()
        )
        .select_related("body")
        .order_by("starts_at")[:5],
    }


def audit_events(filters: dict[str, Any]) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.select_related("actor")
    if filters.get("q"):
        q = filters["q"]
        events = events.filter(Q(object_repr__icontains=q) | Q(model__icontains=q) | Q(object_id=q))
    if filters.get("action"):
        events = events.filter(action=filters["action"])
    if filters.get("actor"):
        events = events.filter(actor__username__iexact=filters["actor"])
    if filters.get("since"):
        events = events.filter(at__date__gte=filters["since"])
    if filters.get("until"):
        events = events.filter(at__date__lte=filters["until"])
    return events


START_PANEL_APPS = (
    "actors",
    "risk",
    "planning",
    "exercises",
    "commitments",
    "capacity",
    "operations",
    "modelling",
)


def app_start_panels(user: Any) -> list[dict[str, Any]]:
    """Start-page panels contributed by the apps.

    An app contributes by defining ``beredskap.<app>.panels.start_panels(user)`` returning a list of
    dicts with ``template`` (rendered with ``panel`` = the dict) plus whatever that template needs.
    Apps without a ``panels`` module contribute nothing.
    """
    import importlib

    panels: list[dict[str, Any]] = []
    for app in START_PANEL_APPS:
        try:
            module = importlib.import_module(f"beredskap.{app}.panels")
        except ModuleNotFoundError as missing:
            if missing.name != f"beredskap.{app}.panels":
                raise
            continue
        panels.extend(module.start_panels(user))
    return panels


def app_org_panels(user: Any, org: Any) -> list[dict[str, Any]]:
    """Panels on an organisation's page (its preparedness status), contributed by the apps through
    ``beredskap.<app>.panels.org_panels(user, org)`` — same shape as the start-page panels."""
    import importlib

    panels: list[dict[str, Any]] = []
    for app in START_PANEL_APPS:
        try:
            module = importlib.import_module(f"beredskap.{app}.panels")
        except ModuleNotFoundError as missing:
            if missing.name != f"beredskap.{app}.panels":
                raise
            continue
        if hasattr(module, "org_panels"):
            panels.extend(module.org_panels(user, org))
    return panels
