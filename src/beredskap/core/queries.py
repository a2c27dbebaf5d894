"""Read helpers of the shared kernel: the start page and the audit trail."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from beredskap.core.access import access_context
from beredskap.core.models import AuditEvent


def start_page(user: Any) -> dict[str, Any]:
    """My organisations, my bodies and follow-up actions due."""
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
    """The audit trail filtered by text, organisation, record type, classification, person and
    period. Free text matches the names in entries only where the entry is about a record under no
    need-to-know: a search must not tell which hidden entries contain a word."""
    events = AuditEvent.objects.select_related("actor")
    if filters.get("q"):
        q = filters["q"]
        open_labels = [label for label, path in _guarded_labels().items() if path is None]
        named = Q(object_repr__icontains=q) & (Q(model__in=open_labels) | Q(object_id=""))
        events = events.filter(named | Q(model__icontains=q) | Q(object_id=q))
    if filters.get("organisation"):
        events = events.filter(_of_organisation(filters["organisation"]))
    if filters.get("record_type"):
        events = events.filter(model=filters["record_type"])
    if filters.get("classification") is not None:
        events = events.filter(classification=filters["classification"])
    if filters.get("action"):
        events = events.filter(action=filters["action"])
    if filters.get("actor"):
        who = filters["actor"]
        events = events.filter(
            Q(actor__username__iexact=who) | Q(actor__person__name__icontains=who)
        )
    if filters.get("since"):
        events = events.filter(at__date__gte=filters["since"])
    if filters.get("until"):
        events = events.filter(at__date__lte=filters["until"])
    return events


def _guarded_labels() -> dict[str, tuple[str, ...] | None]:
    from django.apps import apps

    from beredskap.core.auditview import guard_path
    from beredskap.core.base import TrackedModel

    return {
        m._meta.label_lower: guard_path(m) for m in apps.get_models() if issubclass(m, TrackedModel)
    }


def _of_organisation(org: Any) -> Q:
    """Entries about records the organisation owns (or is), or made by its people."""
    from django.apps import apps
    from django.db.models import CharField
    from django.db.models.functions import Cast

    from beredskap.core.base import ProtectedModel
    from beredskap.core.models import User

    people = User.objects.filter(person__memberships__organisation=org).values("pk")
    condition = Q(actor__in=people) | Q(model="actors.organisation", object_id=str(org.pk))
    for model in apps.get_models():
        if issubclass(model, ProtectedModel):
            owned = (
                model._base_manager.filter(owner_org=org)
                .annotate(key=Cast("pk", CharField()))
                .values("key")
            )
            condition |= Q(model=model._meta.label_lower, object_id__in=owned)
    return condition


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
