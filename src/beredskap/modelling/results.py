"""Compact storage of run results: one ``np.savez_compressed`` archive in a BinaryField.

Arrays (float32; q = the five quantiles p05, p25, p50, p75, p95 over the ensemble):
``inf_q`` (q, days, municipalities) daily new infections; ``nat_inf_q`` (q, days) national;
``node_attack_rate`` and ``node_peak_day`` (municipalities,) ensemble means;
``icu_<level>`` and ``hosp_<level>`` (q, days, groups) ICU and ward occupancy for level
hf / rhf / county; ``cap_<level>`` (groups,) ICU capacity where it is known; ``icu_rhf_members`` and
``hosp_rhf_members`` (members, days, health regions) each member's ICU and ward occupancy and
``adm_rhf`` (q, days, health regions) daily admissions, for a forecast from today (runs stored
before these arrays existed have none, and cannot give one).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from beredskap.modelling.engine import QUANTILE_KEYS


def pack(arrays: dict[str, np.ndarray]) -> bytes:
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)  # type: ignore[arg-type]
    return buffer.getvalue()


def unpack(data: bytes | memoryview) -> dict[str, np.ndarray]:
    with np.load(io.BytesIO(bytes(data)), allow_pickle=False) as archive:
        return {name: archive[name] for name in archive.files}


@dataclass
class RunResults:
    """Read access to a stored result (``SimulationResult``)."""

    data: bytes | memoryview
    meta: dict

    @cached_property
    def arrays(self) -> dict[str, np.ndarray]:
        return unpack(self.data)

    @property
    def codes(self) -> list[str]:
        return self.meta["codes"]

    def group_names(self, level: str) -> list[str]:
        return self.meta["groups"][level]

    def occupancy(self, level: str, kind: str = "icu") -> np.ndarray:
        return self.arrays[f"{kind}_{level}"]

    def members(self, kind: str = "icu") -> np.ndarray | None:
        """(members, days, health regions) occupancy of every member, or None for older runs."""
        return self.arrays.get(f"{kind}_rhf_members")

    def capacity(self, level: str) -> np.ndarray | None:
        return self.arrays.get(f"cap_{level}")

    def group_series(self, level: str, group: str, kind: str = "icu") -> dict[str, list[float]]:
        """{"p05": [...], ..., "p95": [...]} for one group; KeyError for an unknown group."""
        g = self.group_names(level).index(group)
        q = self.occupancy(level, kind)[:, :, g]
        return {key: [round(float(v), 2) for v in q[i]] for i, key in enumerate(QUANTILE_KEYS)}

    def node_series(self, code: str) -> dict[str, list[float]]:
        j = self.codes.index(code)
        q = self.arrays["inf_q"][:, :, j]
        return {key: [round(float(v), 2) for v in q[i]] for i, key in enumerate(QUANTILE_KEYS)}

    def map_values(self) -> dict[str, dict[str, float]]:
        """Per municipality: mean attack rate and mean peak day (day index)."""
        ar, peak = self.arrays["node_attack_rate"], self.arrays["node_peak_day"]
        return {
            c: {"attack_rate": round(float(ar[i]), 4), "peak_day": round(float(peak[i]), 1)}
            for i, c in enumerate(self.codes)
        }
