"""The audit trail as an auditor reads it, under the same access rule as every other read.

Auditors (Helsetilsynet, Riksrevisjonen) see *that* every change and read happened, by whom and
when. The *content* of an entry — its before/after values, the record's name in
it, the detail of an export — belongs to the record it is about, and is shown only to a user who
may see that record (sikkerhetsloven § 8-1: access needs clearance *and* need to
know, and auditing duties are no exception). Otherwise it is replaced by «[KONFIDENSIELT – innhold
skjult]» (the level's name).

Which classification rules: the higher of the one stored with the entry (the record's level when it
was written) and the record's level now. A record downgraded later does not disclose what it held
while it was graded, and a record graded later is not shown through its older, open entries.

A record's children (the events of a ROS analysis, the actions of a learning point) carry no access
fields of their own; their entries are guarded by the protected record they belong to, found by
following their required foreign keys. An entry whose guarding record cannot be found (a deleted
child of a deleted parent) is hidden: the rule fails closed.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from beredskap.core.access import access_context
from beredskap.core.classification import Classification
from beredskap.core.models import AuditEvent

# Pages of a record, by model label; a child without a page links to the record it belongs to.
RECORD_URLS = {
    "actors.organisation": "actors:organisation_detail",
    "actors.meeting": "actors:meeting_detail",
    "risk.rosanalysis": "risk:analysis_detail",
    "risk.undesiredevent": "risk:event_detail",
    "planning.plan": "planning:plan_detail",
    "planning.scenario": "planning:scenario_detail",
    "planning.planningassumption": "planning:assumption_detail",
    "exercises.exerciseplan": "exercises:plan_detail",
    "exercises.exercise": "exercises:exercise_detail",
    "exercises.learningpoint": "exercises:learning_point_detail",
    "commitments.commitment": "commitments:detail",
    "operations.crisis": "operations:crisis",
    "modelling.simulationrun": "modelling:run_detail",
}

ACTION_NAMES = {
    "create": _lazy("opprettet"),
    "update": _lazy("endret"),
    "delete": _lazy("slettet"),
    "read": _lazy("lest"),
    "export": _lazy("eksportert"),
    "download": _lazy("lastet ned"),
    "share": _lazy("delt"),
    "login": _lazy("innlogging"),
    "login_failed": _lazy("mislykket innlogging"),
}

MAX_DEPTH = 3


@dataclass
class AuditRow:
    """One entry as shown to one user."""

    event: AuditEvent
    type_name: str
    action_name: str
    record: str
    hidden: str = ""
    url: str = ""
    changes: list[tuple[str, str, str]] = field(default_factory=list)
    detail: str = ""

    @property
    def level_name(self) -> str:
        """The classification stored with the entry, by name («» for UGRADERT)."""
        level = self.event.classification
        return str(Classification(level).label) if level in Classification.values[1:] else ""


def _model(label: str) -> type[models.Model] | None:
    if "." not in label:
        return None
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


@functools.cache
def guard_path(model: type[models.Model]) -> tuple[str, ...] | None:
    """The required foreign keys from `model` to the protected record that guards it:
    () for a protected record itself, None for a record under no need-to-know."""
    from beredskap.core.base import ProtectedModel

    if issubclass(model, ProtectedModel):
        return ()
    frontier: list[tuple[type[models.Model], tuple[str, ...]]] = [(model, ())]
    for _depth in range(MAX_DEPTH):
        following = []
        for current, path in frontier:
            for fk in current._meta.concrete_fields:
                if not fk.is_relation or fk.null or fk.related_model in (None, current):
                    continue
                target = fk.related_model
                if issubclass(target, ProtectedModel):
                    return (*path, fk.name)
                following.append((target, (*path, fk.name)))
        frontier = following
    return None


def _text(value: Any) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("ja") if value else _("nei")
    return str(value)


def _field_name(model: type[models.Model] | None, attname: str) -> str:
    if model is not None:
        for f in model._meta.concrete_fields:
            if attname in (f.attname, f.name):
                return str(f.verbose_name)
    return attname


def _changes(model: type[models.Model] | None, event: AuditEvent) -> list[tuple[str, str, str]]:
    before, after = event.before or {}, event.after or {}
    keys = sorted((set(before) | set(after)) - {"version", "id"})
    return [
        (_field_name(model, k), _text(before.get(k)), _text(after.get(k)))
        for k in keys
        if event.before is None or event.after is None or before.get(k) != after.get(k)
    ]


def _placeholder(level: int) -> str:
    if level > Classification.UGRADERT:
        return _("[%(level)s – innhold skjult]") % {"level": Classification(level).label}
    return _("[innhold skjult – ingen tjenstlig behov]")


class _Guards:
    """Which guarding records (protected model, id) the user may see, and their levels."""

    def __init__(self, user: Any, wanted: dict[type[models.Model], set[str]]):
        context = access_context(user)
        self.level: dict[tuple[type, str], int] = {}
        self.visible: set[tuple[type, str]] = set()
        self.existing: set[tuple[type, str]] = set()
        for model, raw_ids in wanted.items():
            ids = {int(i) for i in raw_ids if str(i).isdigit()}
            for pk, level in model._base_manager.filter(pk__in=ids).values_list(
                "pk", "classification"
            ):
                self.level[(model, str(pk))] = level
                self.existing.add((model, str(pk)))
            # Loading the visible ones (not just their ids) logs the read of classified ones:
            # their content is about to be shown.
            for record in model.objects.visible_to(user).filter(pk__in=ids):
                self.visible.add((model, str(record.pk)))
            self._deleted(model, {str(i) for i in ids} - {k[1] for k in self.existing}, context)

    def _deleted(self, model: type[models.Model], ids: set[str], context: Any) -> None:
        """The access rule on the last snapshot of records that are gone."""
        if not ids:
            return
        deletes = AuditEvent.objects.filter(
            action="delete", model=model._meta.label_lower, object_id__in=ids
        ).values_list("object_id", "before")
        for object_id, before in deletes:
            before = before or {}
            level = int(before.get("classification") or 0)
            self.level[(model, object_id)] = level
            open_record = level == 0 and not before.get("exempt_public")
            needed = before.get("owner_org_id") in context.need_org_ids
            if level <= context.clearance and (open_record or needed):
                self.visible.add((model, object_id))


def _guard_of(
    event: AuditEvent, model: type[models.Model], path: tuple[str, ...], parents: dict
) -> tuple[type[models.Model], str] | None:
    if not path:
        if event.object_id:
            return model, event.object_id
        detail = event.after if isinstance(event.after, dict) else {}
        found = detail.get("id", detail.get(model._meta.model_name))
        return (model, str(found)) if found is not None else None
    guard_model = _walk(model, path)
    if event.object_id and (model, event.object_id) in parents:
        return guard_model, str(parents[(model, event.object_id)])
    snapshot = event.before or event.after or {}
    if len(path) == 1 and isinstance(snapshot, dict):
        first = model._meta.get_field(path[0])
        found = snapshot.get(first.attname, snapshot.get(path[0]))
        if found is not None:
            return guard_model, str(found)
    return None


def _walk(model: type[models.Model], path: tuple[str, ...]) -> type[models.Model]:
    for name in path:
        model = model._meta.get_field(name).related_model  # type: ignore[assignment]
    return model


def _parent_ids(events: list[AuditEvent]) -> dict[tuple[type, str], Any]:
    """For entries about existing children: the id of the record guarding each (one query per
    kind of child on the page)."""
    wanted: dict[type[models.Model], set[int]] = defaultdict(set)
    for event in events:
        model = _model(event.model)
        if model is not None and guard_path(model) and event.object_id.isdigit():
            wanted[model].add(int(event.object_id))
    found: dict[tuple[type, str], Any] = {}
    for model, ids in wanted.items():
        lookup = "__".join(guard_path(model) or ())
        for pk, parent in model._base_manager.filter(pk__in=ids).values_list("pk", lookup):
            found[(model, str(pk))] = parent
    return found


def _url(label: str, pk: Any) -> str:
    try:
        return reverse(RECORD_URLS[label], kwargs={"pk": pk}) if label in RECORD_URLS else ""
    except NoReverseMatch:
        return ""


def audit_rows(user: Any, events: Iterable[AuditEvent]) -> list[AuditRow]:
    """The entries as `user` may see them, with a bounded number of queries per page."""
    events = list(events)
    context = access_context(user)
    parents = _parent_ids(events)
    guards: dict[int, tuple[type[models.Model], str] | None] = {}
    wanted: dict[type[models.Model], set[str]] = defaultdict(set)
    for event in events:
        model = _model(event.model)
        path = guard_path(model) if model is not None else None
        if model is None or path is None:
            continue
        guard = _guard_of(event, model, path, parents)
        guards[event.pk] = guard
        if guard is not None:
            wanted[guard[0]].add(guard[1])
    known = _Guards(user, wanted)
    return [_row(event, guards, known, context) for event in events]


def _row(event: AuditEvent, guards: dict, known: _Guards, context: Any) -> AuditRow:
    model = _model(event.model)
    type_name = str(model._meta.verbose_name) if model is not None else event.model
    row = AuditRow(
        event=event,
        type_name=type_name,
        action_name=str(ACTION_NAMES.get(event.action, event.action)),
        record=event.object_repr,
    )
    guarded = event.pk in guards
    guard = guards.get(event.pk)
    if guarded:
        level = max(event.classification, known.level.get(guard, 0) if guard else 0)
        allowed = guard in known.visible and level <= context.clearance
        if not allowed:
            row.hidden = _placeholder(level if guard else max(level, event.classification))
            row.record = row.hidden if event.object_repr else ""
            return row
        if guard in known.existing and event.action != "delete":
            row.url = _url(event.model, event.object_id) or _url(
                guard[0]._meta.label_lower, guard[1]
            )
    elif event.object_id and event.action != "delete":
        row.url = _url(event.model, event.object_id)
    if event.object_id:
        row.changes = _changes(model, event)
    elif event.after:
        detail = event.after if isinstance(event.after, dict) else {"": event.after}
        row.detail = ", ".join(f"{k}={v}" for k, v in detail.items())
    return row


def csv_values(row: AuditRow) -> list[str]:
    """One entry as CSV cells: time, user, action, record type, id, record, changes."""
    changes = "; ".join(f"{name}: {old} → {new}" for name, old, new in row.changes)
    return [
        row.event.at.isoformat(),
        row.event.actor.username if row.event.actor else "",
        row.action_name,
        row.type_name,
        row.event.object_id,
        row.level_name,
        row.record,
        row.hidden or changes or row.detail,
    ]
