"""The reserve personnel registry (capacity app) as supply for the allocation (white paper 3.1:
"better overview of reserve personnel that can be mobilised").

Only persons the coordinator may search in the registry are used (capacity's own rule: national
coordinators see everyone, an RHF's people their region plus those willing to travel), only those
currently available (consent confirmed within 12 months, inside their stated dates) and not out on
a deployment. Identities stay in the capacity app: a proposal names a person by profession, number
and region only.
"""

from __future__ import annotations

from typing import Any

from django.db.models import F, Sum
from django.utils import translation

from beredskap.operations.allocation import Reservist


def profession_codes() -> dict[str, str]:
    """Lower-case code and bokmål label of each profession → code."""
    from beredskap.capacity.models.personnel import Profession

    with translation.override("nb"):
        found = {str(label).lower(): code for code, label in Profession.choices}
    found.update({code: code for code in Profession.values})
    return found


def available_reservists(by: Any, *, exclude: set[int] = frozenset()) -> list[Reservist]:  # type: ignore[assignment]
    from beredskap.capacity.queries.personnel import reserve_search

    rows = (
        reserve_search(by, only_available=True)
        .exclude(pk__in=exclude)
        .values_list("pk", "profession", "health_region__code", "willing_to_travel", "specialities")
    )
    return [
        Reservist(pk, profession, region, travels, specialities or "")
        for pk, profession, region, travels, specialities in rows.iterator(chunk_size=5000)
    ]


def region_centroids() -> dict[str, tuple[float, float]]:
    """Population-weighted centre of each health region: where its reserve travels from."""
    from beredskap.core.models import Municipality

    rows = Municipality.objects.values("county__health_region__code").annotate(
        weight=Sum("population"),
        lat=Sum(F("lat") * F("population")),
        lon=Sum(F("lon") * F("population")),
    )
    return {
        r["county__health_region__code"]: (r["lat"] / r["weight"], r["lon"] / r["weight"])
        for r in rows
        if r["weight"]
    }


def labels(ids: list[int]) -> dict[int, str]:
    """«Intensivsykepleier #12 (Helse Nord RHF)» — no name, no contact details."""
    from beredskap.capacity.models import ReserveVolunteer

    found = {}
    for person in ReserveVolunteer.objects.filter(pk__in=ids).select_related("health_region"):
        found[person.pk] = (
            f"{person.get_profession_display()} #{person.pk} ({person.health_region.name})"[:200]
        )
    return found


def lock(ids: list[int]) -> None:
    """Lock the persons' rows for the approval's transaction (two approvals cannot both take
    one)."""
    from beredskap.capacity.models import ReserveVolunteer

    list(
        ReserveVolunteer.objects.select_for_update()
        .filter(pk__in=sorted(set(ids)))
        .values_list("pk", flat=True)
    )


def still_available(by: Any, ids: list[int]) -> set[int]:
    """Those of `ids` still registered, available today and searchable by `by`."""
    from beredskap.capacity.queries.personnel import reserve_search

    return set(
        reserve_search(by, only_available=True).filter(pk__in=ids).values_list("pk", flat=True)
    )
