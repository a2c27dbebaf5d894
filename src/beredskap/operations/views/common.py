"""Helpers shared by the crisis views."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from beredskap.core.audit import record_reads
from beredskap.core.errors import PermissionDenied, StaleEdit
from beredskap.operations import queries
from beredskap.operations.models import Crisis


def crisis_for(request: HttpRequest, pk: int) -> Crisis:
    crisis = get_object_or_404(queries.crises(request.user), pk=pk)
    record_reads(request.user, [crisis])
    return crisis


def attempt(request: HttpRequest, action: Callable[[], Any], success: str) -> Any:
    """Run a service call and turn its refusals into messages; returns the result or None."""
    try:
        result = action()
    except (PermissionDenied, StaleEdit) as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, success)
        return result
    return None


def form_errors(request: HttpRequest, form: Any) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))


def attempt_form(request: HttpRequest, form: Any, action: Callable[[], Any], success: str) -> Any:
    """Like `attempt`, but a refusal is put on the form (per field where the service names one),
    so the page is shown again with what was typed and every error at once."""
    try:
        result = action()
    except (PermissionDenied, StaleEdit) as exc:
        form.add_error(None, str(exc))
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc)
    else:
        messages.success(request, success)
        return result
    return None
