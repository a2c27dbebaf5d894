"""EARS C1, C2 and C3 (``earsC`` in R's ``surveillance``), vectorised over series and days.

SURVEILLANCE.md section 4. C3 follows R's *code* (the observed count is added to the bound, so
only the lag-1 and lag-2 exceedances count), not the Rd formula nor CDC's C3 — the R behaviour
is what epidemiologists compare against.
"""

from __future__ import annotations

import numpy as np
from scipy import special

from .result import STATUS_OK, Detection

DEFAULT_ALPHA = {"C1": 0.001, "C2": 0.001, "C3": 0.025}
_LAG = {"C1": 1, "C2": 3, "C3": 3}
_RANGE = {"C1": 1, "C2": 3, "C3": 5}


def _ref_stats(y: np.ndarray, ts: np.ndarray, baseline: int, lag: int):
    """Mean and sample sd (two-pass, as R) of y[t-lag-baseline+1 .. t-lag] (1-based t) for
    every t in ts, from ``baseline`` shifted slices (no per-window Python loop)."""
    contiguous = ts.size > 0 and np.array_equal(ts, np.arange(ts[0], ts[0] + ts.size))
    if contiguous:
        cols = [y[:, ts[0] - lag - j - 1 : ts[0] - lag - j - 1 + ts.size] for j in range(baseline)]
    else:
        cols = [y[:, ts - lag - j - 1] for j in range(baseline)]
    total = cols[0].copy()
    for c in cols[1:]:
        total += c
    mean = total / baseline
    ss = (cols[0] - mean) ** 2
    for c in cols[1:]:
        ss += (c - mean) ** 2
    return mean, np.sqrt(ss / (baseline - 1))


def ears(
    observed: np.ndarray,
    *,
    method: str = "C1",
    baseline: int = 7,
    min_sigma: float = 0.0,
    alpha: float | None = None,
    t_from: int | None = None,
    t_to: int | None = None,
) -> Detection:
    """Upper bound and alarm for periods t_from..t_to (default R's range); ``expected`` is the
    reference mean, ``score`` the C statistic (y - mean)/max(sd, minSigma) (C2 for C3)."""
    if baseline < 3:
        raise ValueError("Minimum baseline to use is 3.")
    if min_sigma < 0:
        raise ValueError("minSigma must be >= 0")
    y = np.atleast_2d(np.asarray(observed, dtype=float))
    s, n = y.shape
    z = special.ndtri(1.0 - (DEFAULT_ALPHA[method] if alpha is None else alpha))
    lo = baseline + _RANGE[method] if t_from is None else t_from
    ts = np.arange(lo, (n if t_to is None else t_to) + 1)
    out = Detection.empty(s, ts)
    max_lag = baseline + {"C1": 0, "C2": 2, "C3": 4}[method]
    ok = (ts - max_lag >= 1) & (ts <= n)
    tv = ts[ok]
    if tv.size == 0:
        return out
    yk = y[:, tv - 1]
    with np.errstate(all="ignore"):
        if method in ("C1", "C2"):
            mean, sd = _ref_stats(y, tv, baseline, _LAG[method])
            sig = np.maximum(sd, min_sigma)
            upper = mean + z * sig
            score = (yk - mean) / sig
        else:
            upper, mean, score = _c3(y, tv, baseline, min_sigma, z)
        alarm = np.where(np.isnan(upper) | np.isnan(yk), np.nan, (yk > upper).astype(float))
    cols = np.nonzero(ok)[0]
    out.upperbound[:, cols], out.alarm[:, cols] = upper, alarm
    out.expected[:, cols], out.score[:, cols] = mean, score
    out.status[:, cols] = STATUS_OK
    return out


def _c3(y, tv, baseline, min_sigma, z):
    tt = np.concatenate([tv - 2, tv - 1, tv])
    mean, sd = _ref_stats(y, tt, baseline, 3)
    sig = np.maximum(sd, min_sigma)
    c2 = (y[:, tt - 1] - mean) / sig
    m = len(tv)
    lag2, lag1, now = c2[:, :m], c2[:, m : 2 * m], c2[:, 2 * m :]
    part = np.maximum(0.0, lag2 - 1.0) + np.maximum(0.0, lag1 - 1.0)
    upper = np.maximum(0.0, y[:, tv - 1] + sig[:, 2 * m :] * (z - part))
    return upper, mean[:, 2 * m :], now
