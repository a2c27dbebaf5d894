"""``algo.farrington`` (Farrington et al. 1996, the original implementation), R-exact.

SURVEILLANCE.md section 3: 35 reference weeks (b years x (2w+1)), linear trend kept only when
significant at 5 %, re-weighting with threshold 1, two-sided alpha, no NA handling (a missing
reference value makes R fail for the whole series; here that series is "model failed").
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from scipy import special

from . import irls
from .baseline import FREQ, farrington_rows
from .flexible import limit54_enough
from .result import STATUS_FAILED, STATUS_OK, Detection


def _fit_trend(tpl, y, reweight):
    ones = np.ones_like(y)
    f = irls.irls(tpl, y, ones, None, trend=True)
    phi = np.maximum(f.dispersion(y), 1.0)
    if reweight:
        om = irls.anscombe_weights(tpl, f, y, ones > 0, phi, 1.0)
        f = irls.irls(tpl, y, om, None, trend=True)
        phi = np.maximum(f.dispersion(y), 1.0)
    return f, phi


def _delta_upper(mu0, se_r, phi, z, powertrans):
    with np.errstate(all="ignore"):
        tau = phi + se_r**2 / mu0
        e, sigma = {
            "2/3": (2.0 / 3.0, np.sqrt(4.0 / 9.0 * mu0 ** (1.0 / 3.0) * tau)),
            "1/2": (0.5, np.sqrt(tau / 4.0)),
            "none": (1.0, np.sqrt(mu0 * tau)),
        }[powertrans]
        return (mu0**e + z * sigma) ** (1.0 / e)


def _predict_response(f, phi_disp, trend):
    x0 = np.zeros((f.beta.shape[0], f.beta.shape[1]))
    x0[:, 0] = 1.0
    eta0, se = irls.predict(f, x0, np.zeros(x0.shape[0]), phi_disp)
    mu0 = np.maximum(np.exp(eta0), irls.EPS)
    return mu0, se * mu0


def _run(tpl, y, b, alpha, trend, reweight, powertrans):
    """Expected value and upper bound per problem (rows of y)."""
    nb = y.shape[0]
    mu0 = np.full(nb, np.nan)
    upper = np.full(nb, np.nan)
    need_n = np.arange(nb)
    if trend:
        f0 = irls.irls(tpl, y, np.ones_like(y), None, trend=True)
        tr = np.nonzero(f0.converged)[0]
        if tr.size:
            f, phi = _fit_trend(tpl, y[tr], reweight)
            with np.errstate(all="ignore"):
                tval = f.beta[:, 1] / np.sqrt(f.dispersion(y[tr]) * f.cov[:, 1, 1])
                pval = 2.0 * special.stdtr(f.df_r, -np.abs(tval))
            m, se_r = _predict_response(f, phi, True)
            keep = (pval < 0.05) & (b >= 3) & (m <= y[tr].max(axis=1))
            # A constant baseline is fitted exactly; its trend test is then rounding noise
            # (0/0), which R resolves as "no trend" — so does this port, deterministically.
            keep &= y[tr].max(axis=1) > y[tr].min(axis=1)
            z = special.ndtri(1.0 - alpha / 2.0)
            mu0[tr[keep]] = m[keep]
            upper[tr[keep]] = _delta_upper(m, se_r, phi, z, powertrans)[keep]
            need_n = np.setdiff1d(need_n, tr[keep])
    if need_n.size:
        yn = y[need_n]
        ones = np.ones_like(yn)
        f = irls.irls(tpl, yn, ones, None, trend=False)
        phi = np.maximum(f.dispersion(yn), 1.0)
        if reweight:
            om = irls.anscombe_weights(tpl, f, yn, ones > 0, phi, 1.0)
            f = irls.irls(tpl, yn, om, None, trend=False)
            phi = np.maximum(f.dispersion(yn), 1.0)
        m, se_r = _predict_response(f, phi, False)
        mu0[need_n] = m
        upper[need_n] = _delta_upper(m, se_r, phi, special.ndtri(1.0 - alpha / 2.0), powertrans)
    return mu0, upper


def farrington(
    observed: np.ndarray,
    *,
    b: int = 5,
    w: int = 3,
    alpha: float = 0.05,
    reweight: bool = True,
    trend: bool = True,
    limit54: tuple[int, int] = (5, 4),
    powertrans: str = "2/3",
    dates: list[dt.date] | None = None,
    t_from: int | None = None,
    t_to: int | None = None,
) -> Detection:
    """Run ``algo.farrington`` on every series for weeks t_from..t_to (default ``52 b - w .. n``).

    Output as R: upperbound 0 and alarm 0 when fewer than ``limit54`` cases; ``expected`` is the
    model's mean for the week and ``score`` R's X = (y - mu0)/(U - mu0)."""
    y = np.atleast_2d(np.asarray(observed, dtype=float))
    s, n = y.shape
    lo = FREQ * b - w if t_from is None else t_from
    ts = np.arange(lo, (n if t_to is None else t_to) + 1)
    out = Detection.empty(s, ts)
    index = None if dates is None else {d: i + 1 for i, d in enumerate(dates)}
    groups: dict = {}
    for k in ts:
        if not 1 <= k <= n:
            continue
        pos = farrington_rows(int(k), b, w, dates, index)
        if pos.size < 2:
            continue
        groups.setdefault(tuple(pos - k), []).append(int(k))
    bad_series = np.zeros(s, dtype=bool)
    for rel, ks in groups.items():
        ks_a, rel_a = np.array(ks), np.array(rel)
        yy = y[:, ks_a[:, None] + rel_a[None, :] - 1]
        bad_series |= np.isnan(yy).any(axis=(1, 2))
        tpl = irls.Template(np.zeros(len(rel_a), dtype=int), rel_a.astype(float), 1)
        flat = np.nan_to_num(yy.reshape(-1, len(rel_a)))
        mu0, upper = _run(tpl, flat, b, alpha, trend, reweight, powertrans)
        mu0, upper = mu0.reshape(s, len(ks)), upper.reshape(s, len(ks))
        yk = y[:, ks_a - 1]
        enough = limit54_enough(y, ks_a, limit54)
        with np.errstate(all="ignore"):
            x = np.where(enough == 1.0, (yk - mu0) / (upper - mu0), 0.0)
        x = np.where(np.isnan(enough), np.nan, x)
        cols = ks_a - ts[0]
        out.upperbound[:, cols] = np.where(
            enough == 1.0, upper, np.where(np.isnan(enough), np.nan, 0)
        )
        out.alarm[:, cols] = np.where(np.isnan(x), np.nan, (x > 1.0).astype(float))
        out.expected[:, cols] = mu0
        out.score[:, cols] = x
        out.status[:, cols] = STATUS_OK
    for arr in (out.upperbound, out.alarm, out.expected, out.score):
        arr[bad_series] = np.nan
    out.status[bad_series] = STATUS_FAILED
    return out
