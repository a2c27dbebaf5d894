"""The health region a user's situational picture opens on.

The statsforvalter is the link between the municipalities and the centre (Meld. St. 5
(2023–2024) 2.3): an adviser at a statsforvalter office, a municipality or a hospital trust
first needs the ICU picture and forecast of her own health region, while the Ministry and the
national agencies start from the whole country. Anyone may switch to another region or the
national view; the figures are still read through their own visible set.
"""

from __future__ import annotations

from typing import Any

from beredskap.actors.models import Organisation
from beredskap.core.access import access_context
from beredskap.core.models import HealthRegion

NATIONAL = "alle"
"""Query value for the national view (no health region)."""


def _regions_of(organisation: Organisation) -> set[str] | None:
    """Health-region codes an organisation belongs to, or None for a national body."""
    if organisation.health_region_id:
        return {organisation.health_region.code}
    if organisation.municipality_id:
        return {organisation.municipality.county.health_region.code}
    counties = list(organisation.served_counties.all())
    if counties:
        return {county.health_region.code for county in counties}
    return None


def home_region(user: Any) -> str | None:
    """The one health region all the user's organisations lie in; None (national) otherwise."""
    organisations = (
        Organisation.objects.filter(pk__in=access_context(user).member_org_ids)
        .select_related("health_region", "municipality__county__health_region")
        .prefetch_related("served_counties__health_region")
    )
    codes: set[str] = set()
    for organisation in organisations:
        found = _regions_of(organisation)
        if found is None:
            return None
        codes |= found
    return codes.pop() if len(codes) == 1 else None


def chosen_region(user: Any, requested: str | None) -> str | None:
    """The region asked for in the query (a known code, or NATIONAL), else the user's home
    region."""
    if requested == NATIONAL:
        return None
    if requested and HealthRegion.objects.filter(code=requested).exists():
        return requested
    return home_region(user)


def choices() -> list[tuple[str, str]]:
    return [(NATIONAL, "")] + [(r.code, r.name) for r in HealthRegion.objects.order_by("code")]
