"""Which classification a user may give a record she creates or edits.

A user may only hold what she may read (sikkerhetsloven § 8-1: access to classified information
needs clearance; a record saved above the author's own clearance would vanish from her at once).
A new record's default is the record type's usual level, lowered to the creator's clearance —
never raised to it, because information is not to be graded higher than needed (sikkerhetsloven
§ 5-3, «ikke høyere enn nødvendig»).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from beredskap.core.access import access_context
from beredskap.core.classification import Classification, max_allowed, validate_allowed

ABOVE_OWN_CLEARANCE = _("Du kan ikke lagre et dokument du selv ikke har tilgang til.")


def highest_holdable(user: Any) -> Classification:
    """The highest level `user` may save: her effective clearance, within the installation."""
    if not getattr(user, "is_authenticated", False):
        return Classification.UGRADERT
    return Classification(min(int(access_context(user).clearance), int(max_allowed())))


def default_level(user: Any, model: Any) -> Classification:
    """The level a new record of `model` starts at when `user` creates it."""
    usual = int(getattr(model, "DEFAULT_CLASSIFICATION", Classification.UGRADERT))
    return Classification(min(usual, int(highest_holdable(user))))


def level_choices(user: Any) -> list[tuple[int, str]]:
    """The levels a form offers `user`: none above her clearance or the installation maximum."""
    top = int(highest_holdable(user))
    return [(value, str(label)) for value, label in Classification.choices if value <= top]


def refuse_above_clearance(user: Any, level: int | None) -> None:
    """Refuse saving a record graded above what `user` may read herself (a level above the
    installation's maximum is refused as such first)."""
    if level is not None:
        validate_allowed(int(level))
    if level is not None and int(level) > int(highest_holdable(user)):
        raise ValidationError(
            {"classification": ABOVE_OWN_CLEARANCE}, code="classification_above_clearance"
        )


def fit_form(form: Any, user: Any, model: Any = None) -> Any:
    """Offer `user` only the levels she may save, and start a new record at her default.

    A choice outside the list (a tampered form) is refused with the same message as the service.
    """
    field = form.fields.get("classification")
    if field is None:
        return form
    field.choices = level_choices(user)
    field.error_messages["invalid_choice"] = ABOVE_OWN_CLEARANCE
    instance = getattr(form, "instance", None)
    creating = instance is None or getattr(instance, "pk", None) is None
    if model is not None and creating and "classification" not in form.initial:
        form.initial["classification"] = int(default_level(user, model))
    return form
