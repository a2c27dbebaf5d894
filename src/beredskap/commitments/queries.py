"""Read helpers for the commitments tracker (open to every signed-in user)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db.models import Count, QuerySet

from beredskap.commitments.models import Commitment, CommitmentStatus, StatusReport
from beredskap.core.access import access_context


def commitments(user: Any) -> QuerySet[Commitment]:
    if not access_context(user).user_id:
        return Commitment.objects.none()
    return (
        Commitment.objects.select_related("responsible_org")
        .annotate(note_count=Count("notes"))
        .order_by("source", "number")
    )


def reports(user: Any) -> QuerySet[StatusReport]:
    if not access_context(user).user_id:
        return StatusReport.objects.none()
    return StatusReport.objects.select_related("generated_by")


def status_counts(queryset: QuerySet[Commitment]) -> list[tuple[str, str, int]]:
    counts = Counter(queryset.values_list("status", flat=True))
    return [(code, str(label), counts.get(code, 0)) for code, label in CommitmentStatus.choices]


def chapters(user: Any) -> list[int]:
    return sorted(set(commitments(user).values_list("chapter", flat=True)))


def report_jobs(user: Any) -> QuerySet[Any]:
    """A user's own report jobs."""
    from beredskap.commitments.models import ReportJob

    if not getattr(user, "is_authenticated", False):
        return ReportJob.objects.none()
    return ReportJob.objects.filter(requested_by=user).select_related("report")
