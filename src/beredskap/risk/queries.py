"""Read helpers for risk: analyses only through `visible_to(user)`; events, consequences,
vulnerabilities and measures only through their analysis' visible set."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet

from beredskap.risk import classes
from beredskap.risk.classes import PROBABILITY_LETTERS, ConsequenceType, Zone
from beredskap.risk.models import (
    AnalysisScope,
    AnalysisStatus,
    ConsequenceAssessment,
    Measure,
    RosAnalysis,
    UndesiredEvent,
)


def analyses(user: Any) -> QuerySet[RosAnalysis]:
    return RosAnalysis.objects.visible_to(user).select_related("owner_org", "municipality")


def events(user: Any) -> QuerySet[UndesiredEvent]:
    return (
        UndesiredEvent.objects.filter(analysis__in=RosAnalysis.objects.visible_to(user))
        .select_related("analysis")
        .prefetch_related("consequences")
    )


def measures(user: Any) -> QuerySet[Measure]:
    return Measure.objects.filter(
        event__analysis__in=RosAnalysis.objects.visible_to(user)
    ).select_related("owner", "event__analysis")


def events_of(analysis: RosAnalysis) -> QuerySet[UndesiredEvent]:
    return analysis.events.prefetch_related(
        Prefetch("consequences", queryset=ConsequenceAssessment.objects.order_by("kind")),
        "vulnerabilities",
        Prefetch("measures", queryset=Measure.objects.select_related("owner")),
    )


def current_analyses(user: Any) -> QuerySet[RosAnalysis]:
    """The analyses that count now: not superseded."""
    return analyses(user).exclude(status=AnalysisStatus.SUPERSEDED)


@dataclass
class Cell:
    probability: int
    consequence: int
    zone: str
    zone_label: str
    events: list[Any] = field(default_factory=list)


@dataclass
class Matrix:
    """One probability × consequence grid for one consequence type (STANDARDS.md 1.8)."""

    kind: str
    label: str
    rows: list[
        tuple[int, str, list[Cell]]
    ]  # consequence class (5 → 1), label, cells by probability
    unplaced: list[Any]

    @property
    def columns(self) -> list[tuple[int, str]]:
        return [(p, PROBABILITY_LETTERS[p]) for p in classes.CLASSES]

    @property
    def count(self) -> int:
        return sum(len(cell.events) for _c, _l, cells in self.rows for cell in cells)


def build_matrix(
    kind: str, event_list: list[UndesiredEvent], profile: dict[str, str] | None
) -> Matrix:
    grid = {}
    rows = []
    for c in reversed(classes.CLASSES):
        cells = []
        for p in classes.CLASSES:
            zone = classes.classify(p, c, profile)
            cell = Cell(p, c, str(zone), str(Zone(zone).label))
            grid[(p, c)] = cell
            cells.append(cell)
        rows.append((c, str(classes.Consequence(c).label), cells))
    unplaced = []
    for event in event_list:
        level = event.consequence_of(kind)
        if level is None:
            continue
        if event.probability is None:
            unplaced.append(event)
            continue
        grid[(event.probability, level)].events.append(event)
    return Matrix(kind, str(ConsequenceType(kind).label), rows, unplaced)


def matrices(event_list: list[UndesiredEvent], profile: dict[str, str] | None) -> list[Matrix]:
    return [build_matrix(kind, event_list, profile) for kind in ConsequenceType.values]


def sector_profile(user: Any) -> tuple[dict[str, str], RosAnalysis | None]:
    """The acceptance criteria of the latest approved sector ROS the user may see (or the
    default)."""
    sector = (
        analyses(user)
        .filter(scope=AnalysisScope.SECTOR, status=AnalysisStatus.APPROVED)
        .order_by("-approved_on")
        .first()
    )
    if sector is None:
        return classes.default_profile(), None
    return sector.acceptance_profile, sector


def sector_events(user: Any, risk_area: str = "", analysis_ids: Any = None) -> list[UndesiredEvent]:
    """Events of the current analyses the user may see, or of the chosen ones (a matrix across
    analyses; a chosen superseded revision is included so an old picture can be compared)."""
    chosen = analyses(user).filter(pk__in=analysis_ids) if analysis_ids else current_analyses(user)
    rows = events(user).filter(analysis__in=chosen).select_related("analysis__owner_org")
    if risk_area:
        rows = rows.filter(risk_area=risk_area)
    return list(rows.order_by("risk_area", "analysis_id", "number"))


def latest_municipal_ros(user: Any, municipality_ids: Any) -> dict[int, RosAnalysis]:
    """The latest approved overall ROS per municipality among those the user may see and whose
    owner may own it (sivilbeskyttelsesloven § 14: every municipality keeps its own overall ROS;
    see risk.subjects)."""
    from beredskap.risk.subjects import owner_holds_subject

    rows = (
        analyses(user)
        .filter(
            scope=AnalysisScope.MUNICIPALITY,
            municipality_id__in=municipality_ids,
            status=AnalysisStatus.APPROVED,
        )
        .filter(owner_holds_subject())  # another organisation's analysis does not count
        .order_by("municipality_id", "-approved_on")
    )
    latest: dict[int, RosAnalysis] = {}
    for analysis in rows:
        if analysis.municipality_id is not None:
            latest.setdefault(analysis.municipality_id, analysis)
    return latest


def due_for_revision(user: Any, org_ids: Any, within_days: int = 180) -> list[RosAnalysis]:
    """Approved analyses owned by `org_ids` whose revision is overdue or due soon."""
    from datetime import timedelta

    from django.utils import timezone

    horizon = timezone.localdate() + timedelta(days=within_days)
    rows = analyses(user).filter(owner_org_id__in=org_ids, status=AnalysisStatus.APPROVED)
    found = [a for a in rows if a.next_revision_due and a.next_revision_due <= horizon]
    return sorted(found, key=lambda a: a.next_revision_due or horizon)
