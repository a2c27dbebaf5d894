"""Shared view helpers: the level chooser (nation, region, county, organisation).

Issue 5, point 6: one overview per level. A county is the organisations in it (its
municipalities, and the hospital trusts serving them); an organisation is itself and the
organisations below it in the governance line (an RHF with its HFs)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import HttpRequest

from beredskap.core.models import County, HealthRegion


def _county_org_ids(number: str) -> set[int]:
    from beredskap.actors.models import Organisation

    return set(
        Organisation.objects.filter(
            Q(municipality__county__number=number) | Q(served_municipalities__county__number=number)
        ).values_list("pk", flat=True)
    )


def _org_scope(raw: str) -> tuple[Any, set[int] | None]:
    from beredskap.actors.models import Organisation

    org = (
        Organisation.objects.select_related("health_region").filter(pk=raw).first()
        if raw.isdigit()
        else None
    )
    if org is None:
        return None, None
    ids = set(
        Organisation.objects.filter(
            Q(pk=org.pk) | Q(parent=org) | Q(parent__parent=org)
        ).values_list("pk", flat=True)
    )
    return org, ids


def level(request: HttpRequest) -> dict[str, Any]:
    region = request.GET.get("region") or None
    county = request.GET.get("county") or None
    organisation, org_ids = _org_scope(request.GET.get("org") or "")
    regions = list(HealthRegion.objects.all())
    if region and region not in {r.code for r in regions}:
        region = None
    county_name = None
    if county:
        found = County.objects.filter(number=county).select_related("health_region").first()
        county = found.number if found else None
        county_name = found.name if found else None
        if found and not region:
            region = found.health_region.code
        if found and organisation is None:
            org_ids = _county_org_ids(found.number)
    if organisation is not None:
        region = organisation.health_region.code if organisation.health_region_id else None
    name = next((r.name for r in regions if r.code == region), None)
    return {
        "region": region,
        "county": county,
        "regions": regions,
        "counties": County.objects.all(),
        "region_name": name,
        "county_name": county_name,
        "organisation": organisation,
        "org_ids": org_ids,
        "scope_name": organisation.name if organisation else county_name or name,
        "level_name": "organisation"
        if organisation
        else "county"
        if county
        else "region"
        if region
        else "nation",
    }
