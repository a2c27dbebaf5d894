"""The audit trail: who changed what, when, with before and after,
and who read a classified record. Append-only; visible to auditors.

The actor is held in a context variable so the base model can log changes without every
caller passing the user: services wrap their work in `acting_as(user)`, and the request
middleware does the same for each request.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
from collections.abc import Iterable, Iterator
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

_actor: contextvars.ContextVar[Any] = contextvars.ContextVar("beredskap_actor", default=None)


@contextlib.contextmanager
def acting_as(user: Any) -> Iterator[None]:
    """Attribute every change inside the block to `user`, and log the classified records it
    loads as read by `user` (see `reading_as`)."""
    token = _actor.set(user if getattr(user, "is_authenticated", False) else None)
    try:
        with reading_as(user):
            yield
    finally:
        _actor.reset(token)


class _ReadBuffer:
    def __init__(self, user: Any):
        self.user = user
        self.loaded: list[models.Model] = []
        self.named: list[models.Model] = []  # passed to record_reads by a view: logged as given


_reads: contextvars.ContextVar[_ReadBuffer | None] = contextvars.ContextVar(
    "beredskap_reads", default=None
)


@contextlib.contextmanager
def reading_as(user: Any) -> Iterator[None]:
    """Log every classified record loaded inside the block as read by `user` (for the auditors).

    A record counts as read when it is loaded from the database — through a list, a detail, a
    related record (an exercise's plan) or a child row (the events of an analysis, which are
    content of the analysis). The log is written once, when the block ends (for a request: after
    the page is rendered), in one insert, so a list of many records costs no query per record.
    """
    outer = _reads.get()
    if not getattr(user, "is_authenticated", False) or (
        outer is not None and getattr(outer.user, "pk", None) == user.pk
    ):
        yield
        return
    buffer = _ReadBuffer(user)
    token = _reads.set(buffer)
    try:
        yield
    finally:
        _reads.reset(token)
        if buffer.loaded or buffer.named:
            _flush_reads(buffer)


def note_loaded(instance: models.Model) -> None:
    """Called by the base model for every record loaded from the database."""
    buffer = _reads.get()
    if buffer is not None:
        buffer.loaded.append(instance)


def _flush_reads(buffer: _ReadBuffer) -> None:
    from collections import defaultdict

    from beredskap.core.auditview import guard_path

    graded: list[models.Model] = []
    children: dict[type[models.Model], set[Any]] = defaultdict(set)
    for obj in buffer.loaded:
        path = guard_path(type(obj))
        if path == ():
            if "classification" in obj.__dict__ and obj.classification > 0:
                graded.append(obj)
        elif path:
            children[type(obj)].add(obj.pk)
    for model, ids in children.items():
        path = guard_path(model) or ()
        parent = model._base_manager.filter(pk__in=ids).values("__".join(path))
        target: Any = model
        for name in path:
            target = target._meta.get_field(name).related_model
        graded.extend(target._base_manager.filter(pk__in=parent, classification__gt=0))
    record_reads(buffer.user, graded + buffer.named)


def current_actor() -> Any:
    return _actor.get()


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The JSON-safe values of a record's loaded concrete fields.

    Deferred fields are left out: reading one would load it from the database, which builds the
    instance again and takes its snapshot again (an endless recursion in cascade deletes, where
    Django loads related rows with only their keys).
    """
    deferred = instance.get_deferred_fields()
    values = {
        field.attname: getattr(instance, field.attname)
        for field in instance._meta.concrete_fields
        if field.attname not in {"updated_at", "password"} and field.attname not in deferred
    }
    return json.loads(json.dumps(values, cls=DjangoJSONEncoder))


def _diff(before: dict | None, after: dict | None) -> tuple[dict | None, dict | None]:
    if before is None or after is None:
        return before, after
    changed = {key for key in after if before.get(key) != after.get(key)}
    return {k: before.get(k) for k in changed}, {k: after[k] for k in changed}


def record_change(
    instance: models.Model, action: str, before: dict | None, after: dict | None
) -> None:
    from beredskap.core.models import AuditEvent

    before, after = _diff(before, after)
    if action == "update" and not set(after or {}) - {"version"}:
        return
    AuditEvent.objects.create(
        actor=current_actor(),
        action=action,
        model=instance._meta.label_lower,
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        classification=getattr(instance, "classification", 0),
        before=before,
        after=after,
    )


def record_event(
    action: str, *, actor: Any = None, detail: dict | None = None, label: str = ""
) -> None:
    """A non-record event: login, failed login, lockout, export, token creation."""
    from beredskap.core.models import AuditEvent

    AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        model=label,
        object_id="",
        object_repr="",
        after=detail,
    )


class _QueryBlocked(Exception):
    pass


def _refuse_query(*args: Any) -> Any:
    raise _QueryBlocked


def _label_without_queries(obj: models.Model) -> str:
    """`str(obj)` when it needs no database query, else the record type and id.

    Several records name themselves after a related record (a bed report after its facility); in a
    list of such records `str()` would cost one query per record.
    """
    from django.db import connections

    connection = connections[obj._state.db or "default"]
    try:
        with connection.execute_wrapper(_refuse_query):
            return str(obj)[:200]
    except _QueryBlocked:
        return f"{obj._meta.verbose_name} #{obj.pk}"[:200]


def record_reads(user: Any, instances: Iterable[models.Model]) -> None:
    """Log the read of every classified record among `instances` (for the auditors).

    One insert for all of them; a record already logged for the same user object (one request)
    is not logged again, so a page that loads a record twice writes one row.
    """
    from beredskap.core.models import AuditEvent

    if not getattr(user, "is_authenticated", False):
        return
    buffer = _reads.get()
    if buffer is not None and getattr(buffer.user, "pk", None) == user.pk:
        buffer.named.extend(instances)  # written with the rest when the block ends
        return
    seen: set[tuple[str, Any]] | None = getattr(user, "_logged_reads", None)
    if seen is None:
        seen = set()
        user._logged_reads = seen
    events = []
    for obj in instances:
        key = (obj._meta.label_lower, obj.pk)
        if getattr(obj, "classification", 0) > 0 and key not in seen:
            seen.add(key)
            events.append(
                AuditEvent(
                    actor=user,
                    action="read",
                    model=key[0],
                    object_id=str(obj.pk),
                    object_repr=_label_without_queries(obj),
                    classification=obj.classification,
                )
            )
    if events:
        AuditEvent.objects.bulk_create(events)


def record_sharing(
    sender: Any,
    instance: Any,
    action: str,
    reverse: bool,
    model: Any,
    pk_set: Any,
    **kwargs: Any,
) -> None:
    """Audit every change of a protected record's `shared_with_bodies` (an m2m_changed receiver):
    sharing with a body gives its members need-to-know, so it is a change of access like a grant."""
    from beredskap.core.models import AuditEvent

    if action == "pre_clear":
        instance._cleared_body_ids = (
            list(instance.shared_with_bodies.values_list("pk", flat=True)) if not reverse else []
        )
        return
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    verb = "share" if action == "post_add" else "unshare"
    if reverse:  # body.shared_<app>_<model>.add(records)
        records = list(model._base_manager.filter(pk__in=pk_set or ()))
        pairs = [(record, [instance.pk]) for record in records]
    else:
        body_ids = getattr(instance, "_cleared_body_ids", []) if action == "post_clear" else pk_set
        pairs = [(instance, sorted(body_ids or ()))]
    events = [
        AuditEvent(
            actor=current_actor(),
            action=verb,
            model=record._meta.label_lower,
            object_id=str(record.pk),
            object_repr=str(record)[:200],
            classification=getattr(record, "classification", 0),
            after={"bodies": body_ids},
        )
        for record, body_ids in pairs
        if body_ids
    ]
    if events:
        AuditEvent.objects.bulk_create(events)
