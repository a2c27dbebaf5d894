"""A bed forecast from today: ensemble occupancy anchored at the occupancy reported now, its fan
(median, 50 % and 90 % bands) and the probability and date of exceeding staffed capacity.

Method (per health region, per ensemble member m)
    path_m(t) = max(0, occupied_now + E_m(d0 + t) − E_m(d0)),  t = 0 … horizon
where ``E_m`` is the member's simulated bed occupancy by epidemic patients and ``d0`` the day of
the run that is taken to be today (:func:`aligned_start`). Patients who are not epidemic
patients (the reported figure minus the model's epidemic patients today) are held constant over
the horizon; the epidemic's change from today is the model's. Every member therefore starts at
the reported figure, and the fan widens from there — a forecast starting from zero or compared
with total staffed beds would ignore the beds already in use.

Exceeding capacity means a member's path above the staffed beds on some day, which is the same as
the new demand exceeding the free beds (staffed − occupied now). The probability is the share of
members that exceed on any day of the horizon; the date is the median first day among those
members, and ``first_likely_day`` is the first day on which at least half the members are over.

Which day of the run is today (:func:`aligned_start`): where an observed level of the epidemic is
given (e.g. hospital admissions in the last week, in the same unit as the run's level series),
the first day up to the run's median peak whose median level comes closest to it on a log scale
(the epidemic is taken to be rising, or at its peak when the observation is above the run's
peak); else the run's calendar day for today when today lies within the run; else its first
day. This is a simple alignment, not a calibration: the transmission is the run's, not one
fitted to the data.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import ParameterError

FAN_QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
FAN_KEYS = ("p05", "p25", "p50", "p75", "p95")


def anchored_paths(
    occupancy: np.ndarray, start: int, horizon: int, occupied_now: float
) -> np.ndarray:
    """(members, days_used) paths from day ``start`` of ``occupancy`` (members, days), each
    starting at ``occupied_now``; the horizon is cut at the run's last day."""
    occ = np.asarray(occupancy, dtype=np.float64)
    if occ.ndim != 2 or occ.shape[0] < 1 or occ.shape[1] < 1:
        raise ParameterError("occupancy must be (members, days) with at least one of each")
    if not 0 <= start < occ.shape[1]:
        raise ParameterError(f"start day {start} outside the run (0 … {occ.shape[1] - 1})")
    if horizon < 0 or occupied_now < 0 or not np.isfinite(occupied_now):
        raise ParameterError("horizon and occupied beds must be >= 0")
    window = occ[:, start : start + horizon + 1]
    return np.maximum(occupied_now + window - window[:, :1], 0.0)


@dataclass(frozen=True)
class Fan:
    """Quantiles of the paths per day and the chance of exceeding capacity."""

    quantiles: np.ndarray  # (len(FAN_QUANTILES), days)
    capacity: float | None
    probability: float | None  # share of members over capacity on any day
    first_day_median: float | None  # median first day over, among members that go over
    first_likely_day: int | None  # first day with at least half the members over
    daily_probability: np.ndarray | None  # (days,)

    def series(self) -> dict[str, list[float]]:
        rows = zip(FAN_KEYS, self.quantiles, strict=True)
        return {k: [round(float(v), 1) for v in q] for k, q in rows}


def fan(paths: np.ndarray, capacity: float | None = None) -> Fan:
    """The fan of (members, days) paths, compared with ``capacity`` when it is known."""
    paths = np.asarray(paths, dtype=np.float64)
    if paths.ndim != 2 or paths.shape[0] < 1 or paths.shape[1] < 1:
        raise ParameterError("paths must be (members, days) with at least one of each")
    q = np.quantile(paths, FAN_QUANTILES, axis=0)
    if capacity is None:
        return Fan(q, None, None, None, None, None)
    if capacity < 0 or not np.isfinite(capacity):
        raise ParameterError("capacity must be >= 0")
    over = paths > capacity
    daily = over.mean(axis=0)
    hit = over.any(axis=1)
    first = over.argmax(axis=1)[hit]
    likely = np.flatnonzero(daily >= 0.5)
    return Fan(
        q,
        float(capacity),
        float(hit.mean()),
        float(np.median(first)) if first.size else None,
        int(likely[0]) if likely.size else None,
        daily,
    )


def aligned_start(
    level: np.ndarray,
    observed: float | None = None,
    calendar_day: int | None = None,
) -> tuple[int, str]:
    """(day of the run taken as today, how: "observed", "calendar" or "run_start").

    ``level`` is the run's median level per day (e.g. daily admissions) in the unit of
    ``observed``."""
    series = np.asarray(level, dtype=np.float64)
    if series.ndim != 1 or series.size < 1:
        raise ParameterError("level must be a non-empty series of days")
    if observed is not None:
        if observed < 0 or not np.isfinite(observed):
            raise ParameterError("observed level must be >= 0")
        peak = int(np.argmax(series))
        distance = np.abs(np.log1p(series[: peak + 1]) - np.log1p(observed))
        return int(np.argmin(distance)), "observed"
    if calendar_day is not None and 0 <= calendar_day < series.size:
        return int(calendar_day), "calendar"
    return 0, "run_start"
