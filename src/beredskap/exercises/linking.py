"""Which records of other apps an exercise, a learning point or a commitment may link to, and how
each kind is read: always through the owning app's `visible_to(user)` path — a child record
(an undesired event, a meeting decision, a crisis decision) through its visible parent.

Meld. St. 5 (2023–2024) box 2.1 point 7b (exercises test plans and scenarios) and 2.2.1
(learning points change plans and ROS analyses); chapter 2 (evidence of the commitments).
Another app's module is imported lazily; a kind whose app is missing is simply not offered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

SEARCH_LIMIT = 20


@dataclass(frozen=True)
class LinkKind:
    """A kind of record that can be linked: how to read the visible set, search it and show one."""

    key: str  # "app_label.model"
    label: Any
    visible: Callable[[Any], QuerySet]
    search_fields: tuple[str, ...]
    title: Callable[[Any], str]
    url: Callable[[Any], str]


def _plans(user: Any) -> QuerySet:
    from beredskap.planning.queries import plans

    return plans(user)


def _scenarios(user: Any) -> QuerySet:
    from beredskap.planning.queries import scenarios

    return scenarios(user)


def _analyses(user: Any) -> QuerySet:
    from beredskap.risk.queries import analyses

    return analyses(user)


def _ros_events(user: Any) -> QuerySet:
    from beredskap.risk.queries import events

    return events(user).select_related("analysis")


def _assumptions(user: Any) -> QuerySet:
    from beredskap.planning.queries import assumptions

    return assumptions(user)


def _exercises(user: Any) -> QuerySet:
    from beredskap.exercises.queries import exercises

    return exercises(user)


def _crises(user: Any) -> QuerySet:
    from beredskap.operations.queries import crises

    return crises(user)


def _crisis_decisions(user: Any) -> QuerySet:
    from beredskap.operations.queries import decisions

    return decisions(user).select_related("crisis")


def _meetings(user: Any) -> QuerySet:
    from beredskap.actors.queries import meetings

    return meetings(user)


def _meeting_decisions(user: Any) -> QuerySet:
    from beredskap.actors.models import MeetingDecision
    from beredskap.actors.queries import meetings

    return MeetingDecision.objects.filter(meeting__in=meetings(user)).select_related("meeting")


def _url(name: str, attr: str = "pk") -> Callable[[Any], str]:
    def build(record: Any) -> str:
        try:
            return reverse(name, args=[getattr(record, attr)])
        except NoReverseMatch:
            return ""

    return build


KINDS: dict[str, LinkKind] = {
    kind.key: kind
    for kind in (
        LinkKind(
            "planning.plan",
            _("Beredskapsplan"),
            _plans,
            ("title",),
            lambda r: r.title,
            _url("planning:plan_detail"),
        ),
        LinkKind(
            "planning.scenario",
            _("Scenario"),
            _scenarios,
            ("title",),
            lambda r: r.title,
            _url("planning:scenario_detail"),
        ),
        LinkKind(
            "planning.planningassumption",
            _("Planforutsetning"),
            _assumptions,
            ("title",),
            lambda r: r.title,
            _url("planning:assumption_detail"),
        ),
        LinkKind(
            "risk.rosanalysis",
            _("ROS-analyse"),
            _analyses,
            ("title",),
            lambda r: r.title,
            _url("risk:analysis_detail"),
        ),
        LinkKind(
            "risk.undesiredevent",
            _("Uønsket hendelse (ROS)"),
            _ros_events,
            ("title", "analysis__title"),
            lambda r: f"{r.title} ({r.analysis.title})",
            _url("risk:event_detail"),
        ),
        LinkKind(
            "exercises.exercise",
            _("Øvelse"),
            _exercises,
            ("title",),
            lambda r: r.title,
            _url("exercises:exercise_detail"),
        ),
        LinkKind(
            "operations.crisis", _("Krise"), _crises, ("name",), str, _url("operations:crisis")
        ),
        LinkKind(
            "operations.decision",
            _("Krisevedtak"),
            _crisis_decisions,
            ("title", "crisis__name"),
            lambda r: f"{r.title} ({r.crisis})",
            _url("operations:work", "crisis_id"),
        ),
        LinkKind(
            "actors.meeting",
            _("Møte"),
            _meetings,
            ("title",),
            lambda r: r.title,
            _url("actors:meeting_detail"),
        ),
        LinkKind(
            "actors.meetingdecision",
            _("Møtevedtak"),
            _meeting_decisions,
            ("text", "meeting__title"),
            lambda r: f"{r.meeting.title}: {r.text[:120]}",
            _url("actors:meeting_detail", "meeting_id"),
        ),
    )
}

# source model label → relation → the kinds that relation may point at
RELATIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "exercises.exercise": {
        "tests_plan": ("planning.plan",),
        "scenario": ("planning.scenario",),
        "ros_event": ("risk.undesiredevent",),
        "crisis": ("operations.crisis",),
        "decision": ("actors.meeting", "actors.meetingdecision", "operations.decision"),
    },
    "exercises.learningpoint": {
        "changes_plan": ("planning.plan",),
        "changes_ros_event": ("risk.undesiredevent",),
        "scenario": ("planning.scenario",),
        "changes_assumption": ("planning.planningassumption",),
    },
    "commitments.commitment": {
        "evidence": (
            "planning.plan",
            "risk.rosanalysis",
            "exercises.exercise",
            "actors.meetingdecision",
            "operations.decision",
        ),
    },
}

RELATION_LABELS = {
    "tests_plan": _("Tester planen"),
    "scenario": _("Scenario"),
    "ros_event": _("ROS-hendelse"),
    "crisis": _("Krise"),
    "decision": _("Vedtak"),
    "changes_plan": _("Endrer planen"),
    "changes_ros_event": _("Endrer ROS-hendelsen"),
    "changes_assumption": _("Endrer planforutsetningen"),
    "evidence": _("Dokumentasjon"),
}


def kind(key: str) -> LinkKind | None:
    return KINDS.get(key)


def choices_for(source: Any) -> list[tuple[str, str, Any]]:
    """(relation, kind key, kind label) pairs a source may link to, in a stable order."""
    relations = RELATIONS.get(source._meta.label_lower, {})
    return [
        (relation, key, KINDS[key].label) for relation, keys in relations.items() for key in keys
    ]


def relation_allows(source: Any, relation: str, key: str) -> bool:
    return key in RELATIONS.get(source._meta.label_lower, {}).get(relation, ())


def visible(user: Any, key: str) -> QuerySet | None:
    """The records of kind `key` the user may see, or None when that kind is unknown or not
    installed."""
    found = KINDS.get(key)
    if found is None:
        return None
    try:
        return found.visible(user)
    except ImportError:
        return None


def search(user: Any, key: str, text: str, limit: int = SEARCH_LIMIT) -> list[Any]:
    """Visible records of kind `key` whose title matches `text` (newest first)."""
    queryset, found = visible(user, key), KINDS.get(key)
    if queryset is None or found is None:
        return []
    text = text.strip()[:100]
    if text:
        condition = Q()
        for field in found.search_fields:
            condition |= Q(**{f"{field}__icontains": text})
        queryset = queryset.filter(condition)
    return list(queryset.order_by("-pk")[:limit])


def find(user: Any, key: str, pk: Any) -> Any:
    """One visible record of kind `key`, or None (unknown kind, no such record, or not visible)."""
    queryset = visible(user, key)
    if queryset is None or not str(pk).isdigit() or len(str(pk)) > 12:
        return None
    return queryset.filter(pk=int(pk)).first()


def describe(key: str, record: Any) -> dict[str, Any]:
    found = KINDS[key]
    return {"kind": str(found.label), "label": found.title(record), "url": found.url(record)}
