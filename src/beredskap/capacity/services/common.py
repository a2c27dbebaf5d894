"""Helpers shared by the capacity services: all-or-nothing batches and time checks."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from beredskap.core.errors import Conflict
from beredskap.core.timeutil import EARLIEST

FUTURE_TOLERANCE = timedelta(minutes=5)


class ImportRejected(ValidationError):
    """A whole file refused; `rows` lists every rejected row with its reason."""

    def __init__(self, rows: list[dict[str, Any]]):
        self.rows = rows
        super().__init__(
            _("Importen ble avvist: %(n)d feil. Ingenting er lagret.") % {"n": len(rows)}
        )


def error_text(exc: ValidationError) -> str:
    """One line for a refused row: `field: message` per field (`message_dict` flattens the
    nested ValidationErrors a field may hold)."""
    if hasattr(exc, "error_dict"):
        return "; ".join(
            f"{k}: {' '.join(str(m) for m in v)}" if k != "__all__" else " ".join(map(str, v))
            for k, v in exc.message_dict.items()
        )
    return " ".join(str(m) for m in exc.messages)


def all_or_nothing(
    items: Iterable[Any], write: Callable[[Any], Any], label: Callable[[int, Any], str]
) -> list[Any]:
    """Write every item in one transaction; if any fails, roll back and report them all."""
    results, errors = [], []
    with transaction.atomic():
        for index, item in enumerate(items):
            try:
                with transaction.atomic():
                    results.append(write(item))
            except ValidationError as exc:
                row = {"row": label(index, item), "error": error_text(exc)}
                errors.append(row | ({"code": "duplicate"} if isinstance(exc, Conflict) else {}))
            except Exception as exc:  # permission refusals are row errors too
                from beredskap.core.errors import PermissionDenied

                if not isinstance(exc, PermissionDenied):
                    raise
                errors.append({"row": label(index, item), "error": str(exc)})
        if errors:
            transaction.set_rollback(True)
    if errors:
        raise ImportRejected(errors)
    return results


def check_not_future(moment: datetime, field: str = "reported_at") -> None:
    if timezone.is_naive(moment):
        raise ValidationError({field: _("Tidspunktet må ha tidssone.")})
    if moment > timezone.now() + FUTURE_TOLERANCE:
        raise ValidationError({field: _("Tidspunktet kan ikke være fram i tid.")})
    if moment < EARLIEST:  # 1938 or 1970-01-01 is a typing or clock error, not a report
        raise ValidationError({field: _("Tidspunktet kan ikke være før år 2000.")})
