"""Reads of operations, always through Crisis.objects.visible_to(user) (need-to-know:
crisis information is shared with those who have a role in it).

Child records (reports, decisions, tasks, notifications) carry their own classification and
are filtered both through the parent's visible set and against the user's clearance, so a
report graded above a user's clearance never reaches that user even inside a crisis they see.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from beredskap.core.access import access_context
from beredskap.operations.models import (
    Crisis,
    CrisisTask,
    Decision,
    Notification,
    NotificationRecipient,
    PublicAlert,
    ResourceRequest,
    SituationReport,
)
from beredskap.operations.models.decisions import TaskStatus


def crises(user: Any) -> QuerySet[Crisis]:
    return Crisis.objects.visible_to(user).select_related("lead_ministry", "owner_org")


def _children(model: Any, user: Any, crisis: Crisis | None = None) -> QuerySet:
    qs = model.objects.filter(crisis__in=Crisis.objects.visible_to(user).values("pk"))
    if hasattr(model, "classification"):
        qs = qs.filter(classification__lte=access_context(user).clearance)
    return qs.filter(crisis=crisis) if crisis is not None else qs


def reports(user: Any, crisis: Crisis | None = None) -> QuerySet[SituationReport]:
    """Reports of the crises the user sees; a county draft only to its own office until filed."""
    own = access_context(user).member_org_ids
    return (
        _children(SituationReport, user, crisis)
        .filter(Q(draft=False) | Q(organisation_id__in=own))
        .select_related("organisation", "cycle", "crisis")
    )


def decisions(user: Any, crisis: Crisis | None = None) -> QuerySet[Decision]:
    return _children(Decision, user, crisis).select_related("authority", "crisis")


def decisions_in_force(user: Any, crisis: Crisis) -> list[Decision]:
    now = timezone.now()
    return [d for d in decisions(user, crisis).prefetch_related("measures") if d.in_force(now)]


def tasks(user: Any, crisis: Crisis | None = None) -> QuerySet[CrisisTask]:
    return _children(CrisisTask, user, crisis).select_related("owner_org", "crisis")


def open_tasks(user: Any, crisis: Crisis | None = None) -> QuerySet[CrisisTask]:
    return tasks(user, crisis).filter(status__in=[TaskStatus.OPEN, TaskStatus.IN_PROGRESS])


def notifications(user: Any, crisis: Crisis | None = None) -> QuerySet[Notification]:
    return _children(Notification, user, crisis)


def notification_recipients(user: Any, crisis: Crisis) -> QuerySet[NotificationRecipient]:
    """Recipients with their deliveries: all of them for the crisis's coordinators, only her own
    organisations' rows for anyone else (addresses of other organisations' people are not hers
    to see)."""
    from beredskap.operations.permissions import is_coordinator

    rows = NotificationRecipient.objects.filter(
        notification__in=notifications(user, crisis)
    ).select_related("organisation", "notification", "acknowledged_by")
    if not is_coordinator(user, crisis):
        rows = rows.filter(organisation_id__in=access_context(user).member_org_ids)
    return rows.prefetch_related("deliveries").order_by("notification_id", "organisation__name")


def my_unacknowledged(user: Any) -> QuerySet[NotificationRecipient]:
    """Notifications to the user's organisations that still wait for acknowledgement."""
    ctx = access_context(user)
    return NotificationRecipient.objects.filter(
        notification__in=notifications(user),
        organisation_id__in=ctx.member_org_ids,
        notification__requires_ack=True,
        acknowledged_at=None,
    ).select_related("notification", "notification__crisis", "organisation")


def requests(user: Any, crisis: Crisis | None = None) -> QuerySet[ResourceRequest]:
    return _children(ResourceRequest, user, crisis).select_related("requested_by", "location")


def alerts(user: Any, crisis: Crisis | None = None) -> QuerySet[PublicAlert]:
    return _children(PublicAlert, user, crisis).prefetch_related("infos")
