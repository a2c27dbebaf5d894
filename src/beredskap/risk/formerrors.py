"""Turn service errors into form errors (field errors where the form has the field)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from beredskap.core.errors import PermissionDenied, StaleEdit


def add_service_error(
    form: forms.BaseForm, exc: Exception, field_map: dict[str, str] | None = None
) -> None:
    field_map = field_map or {}
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = field_map.get(field, field)
            for message in errors:
                form.add_error(target if target in form.fields else None, message)
        return
    messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
    for message in messages:
        form.add_error(None, message)


def run_service(
    form: forms.BaseForm, call: Callable[[], Any], field_map: dict[str, str] | None = None
) -> tuple[Any, int]:
    """Call a service; on a refusal put the reason on the form. Returns (result, http status)."""
    try:
        return call(), 200
    except StaleEdit as exc:
        add_service_error(form, exc)
        return None, 409
    except PermissionDenied as exc:
        add_service_error(form, exc)
        return None, 403
    except ValidationError as exc:
        add_service_error(form, exc, field_map)
        return None, 400
