"""Who may write what in capacity.

- Reporting (beds, stock, blood, personnel, water): a reporter or administrator of the
  organisation that owns the facility/location/record (a report for a
  facility the reporter does not belong to is refused: the figures are the owner's).
- Reserve registry: each person manages their own registration; coordinators search it.
  A coordinator is a reporter, secretariat or administrator of a regional health authority
  (own region), of Helsedirektoratet or of the Ministry (all regions).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from beredskap.actors.models import Membership, OrganisationKind, Role
from beredskap.actors.permissions import is_national_staff
from beredskap.core.errors import PermissionDenied

REPORTING_ROLES = (Role.REPORTER, Role.ADMINISTRATOR)
COORDINATOR_ROLES = (Role.REPORTER, Role.SECRETARIAT, Role.ADMINISTRATOR)
NATIONAL_COORDINATOR_ORGS = ("Helsedirektoratet", "Helse- og omsorgsdepartementet")


def reporting_org_ids(user: Any) -> set[int]:
    """Organisations the user may submit capacity reports for."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_capacity_reporting_orgs", None)
    if cached is None:
        cached = set(
            Membership.objects.filter(person__user=user, role__in=REPORTING_ROLES).values_list(
                "organisation_id", flat=True
            )
        )
        user._capacity_reporting_orgs = cached
    return cached


def can_report_for(user: Any, org_id: int | None) -> bool:
    return org_id is not None and org_id in reporting_org_ids(user)


def require_reporter(user: Any, org_id: int | None) -> None:
    if not can_report_for(user, org_id):
        raise PermissionDenied(_("Du kan bare rapportere for organisasjoner du er rapportør for."))


def coordinator_regions(user: Any) -> set[str] | None:
    """Health-region codes the user coordinates reserve personnel for; None = all regions;
    an empty set = not a coordinator."""
    if not getattr(user, "is_authenticated", False):
        return set()
    rows = Membership.objects.filter(person__user=user, role__in=COORDINATOR_ROLES).values_list(
        "organisation__name", "organisation__kind", "organisation__health_region__code"
    )
    regions: set[str] = set()
    for name, kind, region in rows:
        if name in NATIONAL_COORDINATOR_ORGS:
            return None
        if kind == OrganisationKind.RHF and region:
            regions.add(region)
    return regions


def is_coordinator(user: Any) -> bool:
    return coordinator_regions(user) != set()


def can_manage_products(user: Any) -> bool:
    """The product register: administrators and the secretariat, or reporters of agencies/RHFs."""
    if is_national_staff(user):  # another organisation's administrator is not national
        return True
    return Membership.objects.filter(
        person__user=user,
        role=Role.REPORTER,
        organisation__kind__in=[OrganisationKind.AGENCY, OrganisationKind.RHF],
    ).exists()
