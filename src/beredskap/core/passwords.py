"""Password policy beyond Django's validators: no username or organisation name inside.

NSM grunnprinsipper 2.6 and Digdir's password guidance: long passwords, not on common lists,
and nothing an attacker can guess from who the user is — her username or the name of the
organisation she works for.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_MIN_NAME = 3  # a whole name or short name ("HOD", "FHI")
_MIN_WORD = 5  # one word of a longer name ("Bodø" is too short, "Tromsø" is not)


def _normalise(value: str) -> str:
    return re.sub(r"[\W_]+", "", value.casefold())


def _forbidden_parts(user: Any) -> set[str]:
    parts = {_normalise(getattr(user, "username", "") or "")}
    if user.pk is not None:
        from beredskap.actors.models import Membership

        for name, short in Membership.objects.filter(person__user=user).values_list(
            "organisation__name", "organisation__short_name"
        ):
            parts |= {_normalise(name), _normalise(short or "")}
            parts |= {w for w in map(_normalise, name.split()) if len(w) >= _MIN_WORD}
    return {p for p in parts if len(p) >= _MIN_NAME and p not in _IGNORED}


class NoNameInPasswordValidator:
    """Refuse a password containing the username or the user's organisation's name."""

    def validate(self, password: str, user: Any = None) -> None:
        if user is None:
            return
        flat = _normalise(password)
        if any(part in flat for part in _forbidden_parts(user)):
            raise ValidationError(
                _("Passordet kan ikke inneholde brukernavnet eller navnet på organisasjonen."),
                code="password_contains_name",
            )

    def get_help_text(self) -> str:
        return _("Passordet kan ikke inneholde brukernavnet ditt eller navnet på organisasjonen.")


#: Generic words of organisation names that say nothing about the user.
_IGNORED = {
    "kommune",
    "fylkeskommune",
    "helseforetak",
    "statsforvalteren",
    "direktoratet",
    "helse",
    "og",
}
