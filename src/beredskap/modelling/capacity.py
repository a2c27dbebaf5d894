"""ICU capacity to compare demand with: the capacity reported to the capacity app, or entered
for the run (a forecast is read against real capacity).

Sources, in the order the run's ``capacity_source`` asks for:
* ``reported`` — the capacity app's ``icu_capacity_by_hospital_trust()`` (staffed ICU beds
  per hospital trust, national reference figures); trusts are summed to health regions.
  Trusts without a report get the default assumption, and the note says so. When the
  capacity app is not installed the default assumption is used instead.
* ``entered`` — beds per health region typed on the run form (health regions only).
* ``default`` — :data:`beredskap.sim.regions.DEFAULT_ICU_BEDS_PER_100K` beds per 100,000
  residents, for every level.
"""

from __future__ import annotations

import numpy as np
from django.utils.translation import gettext as _

from beredskap.modelling.engine import groupings, network
from beredskap.modelling.parameters import HEALTH_REGION_CODES, CapacitySource, RunParameters

RHF_NAMES = {
    "H12": "Helse Sør-Øst",
    "H03": "Helse Vest",
    "H04": "Helse Midt-Norge",
    "H05": "Helse Nord",
}


def default_capacity() -> dict[str, np.ndarray]:
    from beredskap.sim.regions import default_icu_capacity

    pop = network()[0]
    return {level: default_icu_capacity(pop, level)[0] for level in groupings()}


def reported_by_trust() -> tuple[dict[int, int], list[str]] | None:
    """(staffed ICU beds per hospital-trust group index of the engine, names of reporting trusts
    that could not be placed) or None when the capacity app cannot say.

    Trusts are matched by organisation id: each reporting HF organisation is placed in the
    engine's catchment group that holds most of the residents of the municipalities it serves
    (``Organisation.served_municipalities``, loaded from the same SSB catchment file). Only an
    organisation without served municipalities falls back to its name.
    """
    try:
        from beredskap.capacity.summary import icu_capacity_by_hospital_trust
    except ImportError:
        return None
    from beredskap.actors.models import Organisation

    by_org = icu_capacity_by_hospital_trust()
    if not by_org:
        return None
    pop, _flows, codes, _names = network()
    hf_index, hf_names = groupings()["hf"]
    node_of = {code: i for i, code in enumerate(codes)}
    served: dict[int, list[int]] = {}
    names: dict[int, str] = {}
    rows = Organisation.objects.filter(pk__in=by_org).values_list(
        "pk", "name", "served_municipalities__number"
    )
    for pk, name, number in rows:
        names[pk] = name
        if number in node_of:
            served.setdefault(pk, []).append(node_of[number])
    by_name = {n: i for i, n in enumerate(hf_names)}
    out: dict[int, int] = {}
    unplaced: list[str] = []
    for pk, beds in by_org.items():
        nodes = served.get(pk)
        if nodes:
            weight = np.bincount(hf_index[nodes], weights=pop[nodes], minlength=len(hf_names))
            group: int | None = int(np.argmax(weight))
        else:
            group = by_name.get(names.get(pk, ""))
        if group is None:
            unplaced.append(names.get(pk, str(pk)))
            continue
        out[group] = out.get(group, 0) + int(beds)
    return out, sorted(unplaced)


def _trusts_to_regions(hf: np.ndarray) -> np.ndarray:
    hf_index, hf_names = groupings()["hf"]
    rhf_index, rhf_names = groupings()["rhf"]
    out = np.zeros(len(rhf_names))
    for h in range(len(hf_names)):
        region = rhf_index[np.flatnonzero(hf_index == h)[0]]
        out[region] += hf[h]
    return out


def _reported(defaults: dict[str, np.ndarray]) -> tuple[dict[str, np.ndarray | None], str]:
    found = reported_by_trust()
    if found is None:
        return dict(defaults), _(
            "Rapportert kapasitet er ikke tilgjengelig; standardantakelsen er brukt."
        )
    reported, unplaced = found
    names = groupings()["hf"][1]
    hf = np.array([reported.get(i, defaults["hf"][i]) for i in range(len(names))], dtype=float)
    missing = [n for i, n in enumerate(names) if i not in reported]
    note = _("Rapportert intensivkapasitet per helseforetak.")
    if missing:
        note += " " + _("Standardantakelse for: %(n)s.") % {"n": ", ".join(missing)}
    if unplaced:
        note += " " + _("Ikke knyttet til et opptaksområde (ikke med): %(n)s.") % {
            "n": ", ".join(unplaced)
        }
    return {"hf": hf, "rhf": _trusts_to_regions(hf), "county": None}, note


def resolve(p: RunParameters) -> tuple[dict[str, np.ndarray | None], str]:
    """(capacity per level — None where unknown —, a note on where it came from)."""
    defaults = default_capacity()
    if p.capacity_source == CapacitySource.REPORTED:
        return _reported(defaults)
    if p.capacity_source == CapacitySource.ENTERED:
        names = groupings()["rhf"][1]
        by_name = {RHF_NAMES[c]: p.capacity_entered[c] for c in HEALTH_REGION_CODES}
        rhf = np.array([by_name[n] for n in names], dtype=float)
        return {"hf": None, "rhf": rhf, "county": None}, _("Kapasitet oppgitt i kjøringen.")
    return dict(defaults), _("Standardantakelse: %(n)s intensivsenger per 100 000 innbyggere.") % {
        "n": "5,2"
    }
