"""Writing a job's progress outside the job's own transaction (DESIGN.md rule 8).

An import runs all-or-nothing in one transaction; a progress UPDATE made inside it is not seen
by the page polling the job until the whole import commits, and on PostgreSQL it also locks
the job's row so a cancel from the page waits for the import to end. Progress is therefore
written through a second, short-lived connection to the same database, in autocommit, so the
bar moves and cancel works while the import runs.

SQLite has one writer at a time: a second connection cannot write while the import holds the
write lock, so on SQLite (the development default) progress is written in the job's own
transaction and is seen when it commits.
"""

from __future__ import annotations

from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.sql import UpdateQuery
from django.db.models.sql.constants import ROW_COUNT


def _update_on(connection: Any, model: type[Any], filters: dict[str, Any], values: dict) -> int:
    query = model._default_manager.filter(**filters).query.chain(UpdateQuery)
    query.add_update_values(values)
    return int(query.get_compiler(connection=connection).execute_sql(ROW_COUNT) or 0)


def update_outside(model: type[Any], filters: dict[str, Any], **values: Any) -> int:
    """`model.objects.filter(**filters).update(**values)`, committed at once where possible.

    A row the outside connection cannot see (created in the same uncommitted transaction, as
    in a test) is updated in the current transaction instead, so nothing is lost either way.
    """
    default = connections[DEFAULT_DB_ALIAS]
    if default.vendor == "postgresql" and default.in_atomic_block:
        other = connections.create_connection(DEFAULT_DB_ALIAS)
        try:
            updated = _update_on(other, model, filters, values)
        finally:
            other.close()  # a few writes per job; no idle second connection is left open
        if updated:
            return updated
    return int(model._default_manager.filter(**filters).update(**values))
