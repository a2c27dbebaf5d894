"""The audit trail (DESIGN.md rule 2): who changed what, when, with before and after,
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
    """Attribute every change inside the block to `user`."""
    token = _actor.set(user if getattr(user, "is_authenticated", False) else None)
    try:
        yield
    finally:
        _actor.reset(token)


def current_actor() -> Any:
    return _actor.get()


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The JSON-safe values of a record's loaded concrete fields.

    Deferred fields are left out: reading one would load it from the database, which builds the
    instance again and takes its snapshot again (an endless recursion in cascade deletes, where Django
    loads related rows with only their keys).
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
    """Log the read of every classified record among `instances` (DESIGN.md rule 2).

    One insert for all of them; a record already logged for the same user object (one request)
    is not logged again, so a page that loads a record twice writes one row.
    """
    from beredskap.core.models import AuditEvent

    if not getattr(user, "is_authenticated", False):
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
