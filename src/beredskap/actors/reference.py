"""Load the model's actors from shipped data: ministries, agencies, RHFs and HFs,
statsforvalter offices, municipalities and county authorities, and the bodies of
Meld. St. 5 (2023–2024) 2.2.1 with their leads and members. Idempotent."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from django.db import transaction

from beredskap.actors.models import Body, BodyMembership, Organisation, OrganisationKind
from beredskap.core.models import County, HealthRegion, Municipality
from beredskap.core.reference import _upsert, norwegian_name, read_csv


def _org(name: str, **values: Any) -> Organisation:
    return _upsert(Organisation, {"name": name}, values)


def _load_state_orgs() -> dict[str, Organisation]:
    by_key: dict[str, Organisation] = {}
    for row in read_csv("organisations.csv"):
        parent = by_key.get(row["parent"]) if row["parent"] else None
        by_key[row["key"]] = _org(
            row["name"], short_name=row["short_name"], kind=row["kind"], parent=parent
        )
    return by_key


def _load_health_trusts(hod: Organisation) -> None:
    regions = {r.name: r for r in HealthRegion.objects.all()}
    rhfs = {}
    for row in read_csv("health_regions.csv"):
        region = regions[row["name"]]
        rhfs[row["name"]] = _org(
            row["rhf"],
            short_name=row["rhf"].replace(" RHF", ""),
            kind=OrganisationKind.RHF,
            parent=hod,
            health_region=region,
        )
    org_numbers = {
        row["helseforetak"]: row["hf_orgnr"] for row in read_csv("kommune_helseforetak.csv")
    }
    for row in read_csv("helseforetak.csv"):
        _org(
            row["helseforetak"],
            kind=OrganisationKind.HF,
            parent=rhfs[row["rhf"]],
            health_region=regions[row["rhf"]],
            org_number=org_numbers.get(row["helseforetak"]) or None,
        )
    trusts = {o.name: o for o in Organisation.objects.filter(kind=OrganisationKind.HF)}
    for row in read_csv("kommune_helseforetak.csv"):
        trust = trusts.get(row["helseforetak"])
        if trust is not None:
            trust.served_municipalities.add(Municipality.objects.get(number=row["kommunenummer"]))


def _load_local(kdd: Organisation) -> None:
    counties = {c.number: c for c in County.objects.all()}
    for row in read_csv("statsforvaltere.csv"):
        office = _org(
            row["name"],
            short_name=row["short_name"],
            kind=OrganisationKind.STATSFORVALTER,
            parent=kdd,
        )
        office.served_counties.set([counties[n] for n in row["counties"].split(";")])
    for municipality in Municipality.objects.select_related("county"):
        _org(
            f"{municipality.name} kommune",
            short_name=municipality.short_name,
            kind=OrganisationKind.MUNICIPALITY,
            municipality=municipality,
            health_region=municipality.county.health_region,
        )
    for county in counties.values():
        if county.number != "03":  # Oslo is both municipality and county
            _org(
                f"{norwegian_name(county.name)} fylkeskommune",
                short_name=county.name,
                kind=OrganisationKind.COUNTY_AUTHORITY,
                health_region=county.health_region,
            )


def _resolve(key: str, state_orgs: dict[str, Organisation]) -> Organisation:
    if key in state_orgs:
        return state_orgs[key]
    match = Organisation.objects.filter(short_name=key).first() or Organisation.objects.get(
        name=key
    )
    return match


def _load_bodies(state_orgs: dict[str, Organisation]) -> None:
    specs = json.loads(
        resources.files("beredskap.reference_data").joinpath("bodies.json").read_text("utf-8")
    )
    slugs: dict[str, Body] = {}
    for spec in specs:
        body = _upsert(
            Body,
            {"slug": spec["slug"]},
            {
                "name": spec["name"],
                "short_name": spec["short_name"],
                "kind": spec["kind"],
                "lead_org": _resolve(spec["lead"], state_orgs),
                "deputy_lead_org": _resolve(spec["deputy"], state_orgs)
                if spec.get("deputy")
                else None,
                "parent": slugs.get(spec.get("parent", "")),
                "risk_area": spec["risk_area"],
                "mandate": spec["mandate"],
                "mandate_source": spec["source"],
            },
        )
        if body.state_since is None and body.state != spec["state"]:
            body.state = spec["state"]
            body.save()
        slugs[spec["slug"]] = body
        members = spec["members"]
        if members == "all_statsforvaltere":
            members = [
                [o.short_name, "member"]
                for o in Organisation.objects.filter(kind=OrganisationKind.STATSFORVALTER)
            ]
        for key, role in members:
            org = _resolve(key, state_orgs)
            if not BodyMembership.objects.filter(body=body, organisation=org, person=None).exists():
                BodyMembership.objects.create(body=body, organisation=org, role=role)


@transaction.atomic
def load_actors() -> dict[str, int]:
    state_orgs = _load_state_orgs()
    _load_health_trusts(state_orgs["HOD"])
    _load_local(state_orgs["KDD"])
    _load_bodies(state_orgs)
    return {
        "organisations": Organisation.objects.count(),
        "bodies": Body.objects.count(),
    }
