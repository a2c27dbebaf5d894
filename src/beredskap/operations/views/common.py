"""Helpers shared by the crisis views."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, QueryDict
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
    """Every error of the form at once, as messages and on the kept form."""
    keep_form(request, form)
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


KEPT = "operations_kept_forms"


def keep_form(request: HttpRequest, form: Any) -> None:
    """Keep what was typed and every error of a refused form for the page it redirects to
    (the forms sit on the crisis pages and post to their own actions)."""
    data = {k: request.POST.getlist(k) for k in request.POST if k != "csrfmiddlewaretoken"}
    extra = {f: [str(e) for e in errs] for f, errs in form.errors.items()}
    kept = request.session.get(KEPT, {})
    kept[form.prefix or "_"] = {"data": data, "errors": extra}
    request.session[KEPT] = kept


def kept(request: HttpRequest, form_class: Any, *, prefix: str | None = None, **kwargs: Any) -> Any:
    """The form as it was posted (with its errors) if it was just refused, else a fresh one."""
    stored = request.session.get(KEPT, {})
    entry = stored.pop(prefix or "_", None)
    if entry is None:
        return form_class(prefix=prefix, **kwargs)
    request.session[KEPT] = stored
    kwargs.pop("initial", None)
    data = QueryDict(mutable=True)
    for key, values in entry["data"].items():
        data.setlist(key, values)
    form = form_class(data, prefix=prefix, **kwargs)
    form.is_valid()
    for field, messages_ in entry["errors"].items():
        name = field if field in form.fields else None
        present = [str(e) for e in form.errors.get(field or "__all__", [])]
        for message in messages_:
            if message not in present:
                form.add_error(name, message)
    return form


def attempt_kept(request: HttpRequest, form: Any, action: Callable[[], Any], success: str) -> Any:
    """`attempt_form`, keeping the form for the page redirected to when the service refuses."""
    result = attempt_form(request, form, action, success)
    if result is None:
        keep_form(request, form)
        messages.error(request, " ".join(_all_errors(form)))
    return result


def _all_errors(form: Any) -> list[str]:
    return [str(e) for errors in form.errors.values() for e in errors]
