"""Who may write to the commitments tracker: the secretariat and administrators for everything;
reporters of the responsible organisation for progress on their own commitments."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from beredskap.actors.models import Membership, Role
from beredskap.actors.permissions import is_national_staff
from beredskap.core.errors import PermissionDenied


def allowed(user: Any, action: str, target: Any = None) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if is_national_staff(user):  # another organisation's administrator is not national
        return True
    if action == "report_progress" and target is not None and target.responsible_org_id:
        return Membership.objects.filter(
            person__user=user, organisation_id=target.responsible_org_id, role__in=[Role.REPORTER]
        ).exists()
    return False


def require(user: Any, action: str, target: Any = None) -> None:
    if not allowed(user, action, target):
        raise PermissionDenied(_("Du har ikke tilgang til å gjøre dette."))
