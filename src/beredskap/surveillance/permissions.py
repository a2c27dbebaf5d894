"""Who may write surveillance data and assess signals.

FHI runs the national surveillance (smittevernloven § 7-9; MSIS and NorSySS); the municipality's
medical officer (kommuneoverlegen, smittevernloven § 7-2) acts on local signals. Observations are
written by FHI's reporters and administrators for any area and by a municipality's reporters for
that municipality; a signal is assessed by a non-reader member of the signal's owner
organisation or of FHI.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from beredskap.actors.models import Membership, Organisation, Role
from beredskap.core.errors import PermissionDenied

WRITER_ROLES = (Role.ADMINISTRATOR, Role.REPORTER)
ASSESSOR_ROLES = (Role.ADMINISTRATOR, Role.REPORTER, Role.SECRETARIAT)


def fhi() -> Organisation:
    return Organisation.objects.get(short_name="FHI")


def _orgs_with_role(user: Any, roles) -> set[int]:
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    return set(
        Membership.objects.filter(person__user=user, role__in=roles).values_list(
            "organisation_id", flat=True
        )
    )


def writable_org_ids(user: Any) -> set[int]:
    return _orgs_with_role(user, WRITER_ROLES)


def may_write_series(user: Any, owner_org_id: int) -> bool:
    orgs = writable_org_ids(user)
    return bool(orgs) and (owner_org_id in orgs or fhi().pk in orgs)


def may_upload(user: Any) -> bool:
    return bool(writable_org_ids(user))


def may_assess(user: Any, signal: Any) -> bool:
    orgs = _orgs_with_role(user, ASSESSOR_ROLES)
    return bool(orgs) and (signal.owner_org_id in orgs or fhi().pk in orgs)


def require_assess(user: Any, signal: Any) -> None:
    if not may_assess(user, signal):
        raise PermissionDenied(_("Bare signalets eier eller FHI kan vurdere signalet."))
