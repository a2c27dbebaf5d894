"""Municipalities, commuting flows and the day/night mixing operator.

White paper section 2.2.1 (modelling groups) asks for one shared, documented model of how
infection spreads between municipalities; this module provides the coupling.

Mixing operator
    With commuting flows ``C`` (residents of i working in j, diagonal ignored), residents
    ``N``, out-commuting share ``f_i = Σ_j C_ij / N_i`` and ``alpha`` = share of the day
    spent at the work place (0.5 by default)::

        P = diag(1 - alpha·f) + alpha · diag(1/N) · C

    Every row of ``P`` sums to 1: ``P_ik`` is the share of time a resident of ``i`` spends
    in ``k``. The force of infection on residents of ``i`` is
    ``λ_i = β Σ_k P_ik (Σ_j P_jk I_j) / (Σ_j P_jk N_j)`` — two sparse products per step.

Sources of ``C``
    * :func:`load_ssb_commuting` — SSB table 03321 (employed persons 15–74, 4th quarter
      2022, recoded to the 357 municipalities of 2024), shipped as
      ``reference_data/pendling_2022_kommuner2024.csv``.
    * :func:`read_flow_csv` — any CSV with origin, destination and flow columns.
    * :func:`gravity_flows` — a gravity model where no flows exist (see its docstring).
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from .errors import ParameterError

REFERENCE_PACKAGE = "beredskap.reference_data"


@dataclass(frozen=True)
class Municipality:
    """One municipality of the 2024 structure (SSB 07459 population, 1 Jan 2024)."""

    code: str
    name: str
    county_code: str
    county: str
    population: int
    lat: float
    lon: float


def _reference_path(name: str) -> Path:
    return Path(str(resources.files(REFERENCE_PACKAGE).joinpath(name)))


@cache
def municipalities() -> tuple[Municipality, ...]:
    """The 357 municipalities of 2024 in kommunenummer order."""
    with _reference_path("kommuner_2024.csv").open(encoding="utf-8") as fh:
        rows = [
            Municipality(
                r["kommunenummer"],
                r["kommune"],
                r["fylkesnummer"],
                r["fylke"],
                int(r["population"]),
                float(r["lat"]),
                float(r["lon"]),
            )
            for r in csv.DictReader(fh)
        ]
    return tuple(sorted(rows, key=lambda m: m.code))


def municipality_codes() -> list[str]:
    """Kommunenummer of the 357 municipalities, sorted."""
    return [m.code for m in municipalities()]


def municipality_populations() -> np.ndarray:
    """Residents on 1 Jan 2024, in :func:`municipality_codes` order."""
    return np.array([m.population for m in municipalities()], dtype=np.int64)


def code_index(codes: list[str] | None = None) -> dict[str, int]:
    """Map kommunenummer → row index."""
    return {c: i for i, c in enumerate(codes or municipality_codes())}


def lookup_codes(wanted: list[str], codes: list[str] | None = None) -> np.ndarray:
    """Row indices of the given kommunenummer; unknown numbers raise ParameterError."""
    index = code_index(codes)
    unknown = [c for c in wanted if c not in index]
    if unknown:
        raise ParameterError(f"unknown municipality number(s): {', '.join(unknown[:10])}")
    return np.array([index[c] for c in wanted], dtype=np.int64)


def read_flow_csv(
    path: str | Path,
    codes: list[str] | None = None,
    *,
    origin: str = "bosted_kommunenummer",
    destination: str = "arbeidssted_kommunenummer",
    flow: str = "sysselsatte",
) -> sp.csr_matrix:
    """Read origin→destination flows from a CSV into a sparse (n × n) matrix.

    ``codes`` fixes the row order (default: the 357 municipalities of 2024). Unknown codes
    and negative flows raise :class:`ParameterError`; duplicate pairs are summed.
    """
    codes = codes or municipality_codes()
    index = code_index(codes)
    rows, cols, vals = [], [], []
    with Path(path).open(encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        missing = {origin, destination, flow} - set(reader.fieldnames or [])
        if missing:
            raise ParameterError(f"flow CSV lacks column(s): {', '.join(sorted(missing))}")
        for line, rec in enumerate(reader, start=2):
            o, d, v = rec[origin].strip(), rec[destination].strip(), float(rec[flow])
            for code in (o, d):
                if code not in index:
                    raise ParameterError(f"line {line}: unknown municipality number {code!r}")
            if v < 0 or not math.isfinite(v):
                raise ParameterError(f"line {line}: flow must be a finite number >= 0")
            rows.append(index[o])
            cols.append(index[d])
            vals.append(v)
    n = len(codes)
    return sp.csr_matrix((vals, (rows, cols)), shape=(n, n))


def load_ssb_commuting() -> sp.csr_matrix:
    """SSB commuting 2022 (table 03321) over the 357 municipalities, kommunenummer order.

    Entry (i, j) = employed residents of municipality i working in municipality j; the
    diagonal (working in the home municipality) is kept here and ignored by the model.
    """
    return read_flow_csv(_reference_path("pendling_2022_kommuner2024.csv"))


def haversine_km(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Great-circle distances (km) between all pairs of points (dense n × n)."""
    la, lo = np.radians(lat), np.radians(lon)
    dlat = la[:, None] - la[None, :]
    dlon = lo[:, None] - lo[None, :]
    h = np.sin(dlat / 2) ** 2 + np.cos(la)[:, None] * np.cos(la)[None, :] * np.sin(dlon / 2) ** 2
    return 2 * 6371.0 * np.arcsin(np.sqrt(np.clip(h, 0, 1)))


def gravity_flows(
    populations: np.ndarray,
    distance_km: np.ndarray,
    *,
    commuting_share: float = 0.1,
    exponent: float = 2.0,
    min_distance_km: float = 1.0,
    max_distance_km: float = 150.0,
) -> sp.csr_matrix:
    """Gravity-model commuting flows where no observed flows exist.

    ``w_ij = N_j / max(d_ij, d_min)^exponent`` for ``i != j`` and ``d_ij <= d_max``
    (Zipf 1946; Erlander & Stewart 1990). Each origin row is scaled so that a share
    ``commuting_share`` of its residents commutes out: ``C_ij = s·N_i·w_ij / Σ_k w_ik``.
    The default 10 % and exponent 2 are round values of the order seen in the SSB data
    (34 % work outside their home municipality, but most of them within 50 km).
    """
    pop = np.asarray(populations, dtype=float)
    d = np.asarray(distance_km, dtype=float)
    if d.shape != (pop.size, pop.size):
        raise ParameterError("distance matrix must be square with one row per population")
    if not 0 <= commuting_share < 1:
        raise ParameterError("commuting_share must be in [0, 1)")
    if exponent < 0 or np.any(d < 0):
        raise ParameterError("exponent and distances must be >= 0")
    w = pop[None, :] / np.maximum(d, min_distance_km) ** exponent
    w[(d > max_distance_km)] = 0.0
    np.fill_diagonal(w, 0.0)
    total = w.sum(axis=1, keepdims=True)
    flows = np.divide(
        commuting_share * pop[:, None] * w, total, out=np.zeros_like(w), where=total > 0
    )
    return sp.csr_matrix(flows)


def mixing_operator(
    populations: np.ndarray, commuters: sp.spmatrix | np.ndarray | None, alpha: float = 0.5
) -> sp.csr_matrix:
    """Row-stochastic day/night mixing operator P (see module docstring).

    Raises :class:`ParameterError` for a non-square matrix, a size mismatch, negative
    flows, or out-commuters exceeding the residents of a node.
    """
    pop = np.asarray(populations, dtype=float)
    n = pop.size
    if not 0.0 <= alpha <= 1.0:
        raise ParameterError("alpha (share of the day spent at work) must be in [0, 1]")
    if commuters is None:
        return sp.identity(n, format="csr")
    c = sp.csr_matrix(commuters, dtype=float)
    if c.shape[0] != c.shape[1]:
        raise ParameterError(f"commuting matrix must be square, got shape {c.shape}")
    if c.shape[0] != n:
        raise ParameterError(f"commuting matrix has {c.shape[0]} rows but there are {n} nodes")
    if c.nnz and (c.data.min() < 0 or not np.all(np.isfinite(c.data))):
        raise ParameterError("commuting flows must be finite and >= 0")
    c.setdiag(0.0)
    c.eliminate_zeros()
    out = np.asarray(c.sum(axis=1)).ravel()
    bad = np.flatnonzero(out > pop)
    if bad.size:
        raise ParameterError(
            f"commuting row sums exceed the population in node(s) {bad[:10].tolist()}"
        )
    safe = np.where(pop > 0, pop, 1.0)
    frac = out / safe
    p = sp.diags(1.0 - alpha * frac) + alpha * sp.diags(1.0 / safe) @ c
    return sp.csr_matrix(p)
