"""Areas a series can be keyed by: municipality number, county number, health region code or
the nation (code ``0``), resolved against the shipped 2024 reference data (kommunereformen's
2024 numbers, so a series keeps its key when a municipality's number changed in 2024)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from beredskap.actors.models import Organisation, OrganisationKind
from beredskap.core.models import County, HealthRegion, Municipality
from beredskap.surveillance.models import AreaLevel

NATION_CODE = "0"


@dataclass(frozen=True)
class Area:
    level: str
    code: str
    name: str
    county_number: str
    owner_org_id: int


def _fhi_id() -> int:
    return Organisation.objects.values_list("pk", flat=True).get(short_name="FHI")


def resolve(level: str, code: str) -> Area:
    """The area's name, county and owning organisation; a clear error for an unknown code."""
    code = (code or "").strip()
    if level == AreaLevel.MUNICIPALITY:
        m = Municipality.objects.select_related("county").filter(number=code.zfill(4)).first()
        if m is None:
            raise ValidationError(_("Ukjent kommunenummer «%(c)s».") % {"c": code})
        org = Organisation.objects.filter(
            kind=OrganisationKind.MUNICIPALITY, municipality=m
        ).first()
        owner = org.pk if org else _fhi_id()
        return Area(level, m.number, m.name, m.county.number, owner)
    if level == AreaLevel.COUNTY:
        c = County.objects.filter(number=code.zfill(2)).first()
        if c is None:
            raise ValidationError(_("Ukjent fylkesnummer «%(c)s».") % {"c": code})
        return Area(level, c.number, c.name, c.number, _fhi_id())
    if level == AreaLevel.HEALTH_REGION:
        r = HealthRegion.objects.filter(code=code.upper()).first()
        if r is None:
            raise ValidationError(_("Ukjent helseregion «%(c)s».") % {"c": code})
        return Area(level, r.code, r.name, "", _fhi_id())
    if level == AreaLevel.NATION:
        return Area(level, NATION_CODE, "Norge", "", _fhi_id())
    raise ValidationError(_("Ukjent områdenivå «%(l)s».") % {"l": level})
