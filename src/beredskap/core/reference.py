"""Load the shipped geography (real, sourced reference data): health regions, counties,
municipalities. Idempotent: a second run changes nothing."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from importlib import resources
from typing import Any

from django.db import transaction

from beredskap.core.models import County, HealthRegion, Municipality

EXPECTED_MUNICIPALITIES = 357
EXPECTED_COUNTIES = 15
EXPECTED_POPULATION_2024 = 5_550_203


def read_csv(name: str) -> Iterator[dict[str, str]]:
    text = resources.files("beredskap.reference_data").joinpath(name).read_text(encoding="utf-8")
    yield from csv.DictReader(text.splitlines())


def norwegian_name(name: str) -> str:
    """The Norwegian part of an official name with Sami/Kven parallel forms."""
    parts = name.split(" - ")
    return parts[0]


def _upsert(model: Any, lookup: dict[str, Any], values: dict[str, Any]) -> Any:
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **values)
    if any(getattr(obj, key) != value for key, value in values.items()):
        for key, value in values.items():
            setattr(obj, key, value)
        obj.save()
    return obj


@transaction.atomic
def load_geography() -> dict[str, int]:
    regions: dict[str, HealthRegion] = {}
    county_region: dict[str, HealthRegion] = {}
    for row in read_csv("health_regions.csv"):
        region = _upsert(HealthRegion, {"code": row["code"]}, {"name": row["name"]})
        regions[row["code"]] = region
        for number in row["counties"].split(";"):
            county_region[number] = region
    rows = list(read_csv("kommuner_2024.csv"))
    counties = {}
    for row in rows:
        number = row["fylkesnummer"]
        if number not in counties:
            counties[number] = _upsert(
                County,
                {"number": number},
                {"name": norwegian_name(row["fylke"]), "health_region": county_region[number]},
            )
    for row in rows:
        _upsert(
            Municipality,
            {"number": row["kommunenummer"]},
            {
                "name": row["kommune"],
                "county": counties[row["fylkesnummer"]],
                "population": int(row["population"]),
                "lat": float(row["lat"]),
                "lon": float(row["lon"]),
            },
        )
    return {"health_regions": len(regions), "counties": len(counties), "municipalities": len(rows)}
