"""Template context for the UI shell: navigation by the model's areas."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# (url name, label). An app adds its entry here; entries whose URL does not exist yet are skipped.
NAVIGATION = [
    ("core:home", _("Min side")),
    ("actors:organisation_list", _("Organisasjoner")),
    ("actors:body_list", _("Råd og utvalg")),
    ("actors:meeting_list", _("Møter")),
    ("risk:index", _("Risiko")),
    ("planning:index", _("Planverk")),
    ("exercises:index", _("Øvelser")),
    ("commitments:index", _("Oppfølging")),
    ("capacity:index", _("Kapasitet")),
    ("operations:index", _("Krise")),
    ("modelling:index", _("Modellering")),
    ("surveillance:index", _("Overvåking")),
]


def _nav_items() -> list[tuple[str, Any]]:
    items = []
    for name, label in NAVIGATION:
        try:
            items.append((reverse(name), label))
        except NoReverseMatch:
            continue
    return items


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "nav_items": _nav_items(),
        "is_auditor": bool(user and user.is_authenticated and user.is_auditor),
    }
