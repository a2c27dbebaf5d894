"""Municipality → hospital trust (helseforetak), health region (RHF) and county.

Source: ``reference_data/kommune_helseforetak.csv`` (SSB KLASS catchment areas via
hmelberg/kapasitet, 2024 codes) and ``kommuner_2024.csv``. Municipalities with shared
catchment (e.g. Oslo) are assigned to their main hospital trust.
"""

from __future__ import annotations

import csv
from functools import cache

import numpy as np

from .network import _reference_path, municipalities, municipality_codes

#: Default ICU beds per 100,000 residents when no capacity file is given: an assumption
#: close to the pre-2020 national level (about 290 adult ICU beds for 5.4 million people).
DEFAULT_ICU_BEDS_PER_100K = 5.2


@cache
def _catchment() -> dict[str, tuple[str, str]]:
    with _reference_path("kommune_helseforetak.csv").open(encoding="utf-8") as fh:
        return {r["kommunenummer"]: (r["helseforetak"], r["rhf"]) for r in csv.DictReader(fh)}


def grouping(level: str) -> tuple[np.ndarray, list[str]]:
    """(index per municipality, group names) for level ``hf``, ``rhf`` or ``county``."""
    codes = municipality_codes()
    if level == "county":
        labels = [m.county for m in municipalities()]
    elif level in ("hf", "rhf"):
        pos = 0 if level == "hf" else 1
        labels = [_catchment()[c][pos] for c in codes]
    else:
        from .errors import ParameterError

        raise ParameterError(f"unknown grouping level {level!r} (hf, rhf, county)")
    names = sorted(set(labels))
    lookup = {n: i for i, n in enumerate(names)}
    return np.array([lookup[x] for x in labels], dtype=np.int64), names


def default_icu_capacity(
    populations: np.ndarray, level: str = "rhf"
) -> tuple[np.ndarray, list[str]]:
    """Default ICU beds per group: DEFAULT_ICU_BEDS_PER_100K × residents / 100,000."""
    index, names = grouping(level)
    pop = np.bincount(index, weights=np.asarray(populations, dtype=float), minlength=len(names))
    return np.round(pop * DEFAULT_ICU_BEDS_PER_100K / 1e5), names
