"""Whose risk an analysis may be about, so the county governor's overview counts only analyses
that hold.

A municipality's overall ROS is the municipality's own (sivilbeskyttelsesloven § 14; forskrift om
kommunal beredskapsplikt § 2): it is owned by that municipality or by an intermunicipal
cooperation recorded as such — a municipal organisation without a municipality of its own whose
served municipalities include it (kommuneloven ch. 17–19). The health sector's comprehensive ROS
is made at national level (Meld. St. 5 (2023–2024) 2.2.1), by a ministry or an agency.
"""

from __future__ import annotations

from typing import Any

from django.db.models import F, Q
from django.utils.translation import gettext as _

from beredskap.actors.models import OrganisationKind

NATIONAL_KINDS = (OrganisationKind.MINISTRY, OrganisationKind.AGENCY)


def is_intermunicipal(org: Any) -> bool:
    return org.kind == OrganisationKind.MUNICIPALITY and org.municipality_id is None


def subject_municipality_ids(org: Any) -> set[int]:
    """The municipalities whose overall ROS `org` may own."""
    if org is None or org.kind != OrganisationKind.MUNICIPALITY:
        return set()
    if org.municipality_id is not None:
        return {org.municipality_id}
    return set(org.served_municipalities.values_list("pk", flat=True))


def owner_holds_subject() -> Q:
    """Filter for analyses whose owner may own their municipality's ROS (for querysets)."""
    own = Q(owner_org__municipality_id=F("municipality_id"))
    cooperation = Q(
        owner_org__kind=OrganisationKind.MUNICIPALITY,
        owner_org__municipality__isnull=True,
        owner_org__served_municipalities=F("municipality_id"),
    )
    return own | cooperation


def subject_errors(analysis: Any) -> dict[str, str]:
    """Why `analysis` may not have the subject it names (empty when it may)."""
    from beredskap.risk.models import AnalysisScope

    owner = analysis.owner_org if analysis.owner_org_id else None
    if owner is None:
        return {}
    if (
        analysis.scope == AnalysisScope.MUNICIPALITY
        and analysis.municipality_id is not None
        and analysis.municipality_id not in subject_municipality_ids(owner)
    ):
        return {
            "municipality": _(
                "En kommunes helhetlige ROS eies av kommunen selv eller av et interkommunalt "
                "samarbeid kommunen er med i."
            )
        }
    if analysis.scope == AnalysisScope.SECTOR and owner.kind not in NATIONAL_KINDS:
        return {
            "scope": _(
                "Sektorens helhetlige ROS lages på nasjonalt nivå (departement eller direktorat)."
            )
        }
    return {}
