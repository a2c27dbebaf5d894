"""Template context for the UI shell: navigation and the user's organisations."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

NAVIGATION = [
    ("core:home", _("Min side")),
    ("actors:organisation_list", _("Organisasjoner")),
    ("actors:body_list", _("Råd og utvalg")),
    ("actors:meeting_list", _("Møter")),
]


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "nav_items": NAVIGATION,
        "is_auditor": bool(user and user.is_authenticated and user.is_auditor),
    }
