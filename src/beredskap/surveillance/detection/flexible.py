"""``farringtonFlexible`` (Noufaily et al. 2013 improvements of Farrington 1996), R-exact.

Follows SURVEILLANCE.md section 2, including R's weights quirk (``dispersion="r_compat"``,
the default, reproduces R; ``"corrected"`` uses the proper Pearson dispersion for the trend
test and the prediction's standard error). Vectorised: all series x weeks that share a baseline
pattern are fitted in one batch.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from scipy import special

from . import irls
from .baseline import FREQ, TooLittleData, flexible_rows, reference_positions
from .quantiles import qnbinom_mean, qpois
from .result import STATUS_FAILED, STATUS_OK, Detection

CHUNK = 512


@dataclass(frozen=True)
class FlexibleParams:
    """Controls of ``farringtonFlexible`` with R's defaults."""

    b: int = 5
    w: int = 3
    reweight: bool = True
    weights_threshold: float = 2.58
    alpha: float = 0.05
    trend: bool = True
    p_threshold_trend: float = 0.05
    limit54: tuple[int, int] = (5, 4)
    powertrans: str = "2/3"
    population_offset: bool = False
    no_periods: int = 1
    past_weeks_not_included: int | None = None
    threshold_method: str = "delta"
    dispersion: str = "r_compat"

    @classmethod
    def noufaily(cls, **overrides) -> FlexibleParams:
        """The Noufaily et al. (2013) settings (10 seasonal levels, 26 weeks left out, NB)."""
        base = dict(
            p_threshold_trend=1.0,
            no_periods=10,
            past_weeks_not_included=26,
            threshold_method="nbPlugin",
        )
        return cls(**{**base, **overrides})

    @property
    def pwni(self) -> int:
        return self.w if self.past_weeks_not_included is None else self.past_weeks_not_included

    def first_week(self) -> int:
        return FREQ * self.b + self.w + 1


def limit54_enough(y: np.ndarray, ks: np.ndarray, limit54: tuple[int, int]) -> np.ndarray:
    """Cases in the last ``period`` weeks (current included) >= ``cases``; NaN where unknown."""
    cases, period = limit54
    win = np.stack([y[:, ks - 1 - j] for j in range(period)], axis=0).sum(axis=0)
    return np.where(np.isnan(win), np.nan, (win >= cases).astype(float))


def _patterns(n: int, ks, prm: FlexibleParams, dates):
    """Group weeks by baseline pattern: {key: (ks, rel_pos, levels, t_rel)}; too-little weeks."""
    index = None if dates is None else {d: i + 1 for i, d in enumerate(dates)}
    delta = None if dates is None else (dates[1] - dates[0]).days
    groups: dict = {}
    skipped = []
    for k in ks:
        try:
            refs = reference_positions(int(k), prm.b, dates, index)
            pos, lv = flexible_rows(int(k), n, refs, prm.w, prm.no_periods, prm.pwni)
        except TooLittleData:
            skipped.append(k)
            continue
        if dates is None:
            t = (pos - k).astype(float)
        else:
            t = np.array([(dates[i - 1] - dates[k - 1]).days / delta for i in pos])
        key = (tuple(pos - k), tuple(lv), tuple(t))
        groups.setdefault(key, []).append(k)
    return groups, skipped


def _template(levels: np.ndarray, t: np.ndarray, p: int) -> tuple[irls.Template, int]:
    values = np.unique(levels)
    code = np.searchsorted(values, levels)
    current = int(np.searchsorted(values, p))
    return irls.Template(code.astype(int), t, len(values)), current


def _x0(tpl: irls.Template, current: int, t0: np.ndarray, trend: bool) -> np.ndarray:
    d = 2 if trend else 1
    x0 = np.zeros((t0.shape[0], d + tpl.n_levels - 1))
    x0[:, 0] = 1.0
    if trend:
        x0[:, 1] = t0
    if current > 0:
        x0[:, d + current - 1] = 1.0
    return x0


class _Batch:
    """One batch of problems sharing a template."""

    def __init__(self, prm, tpl, current, y, mask, off, o0, t0):
        self.prm, self.tpl, self.current = prm, tpl, current
        self.y, self.mask, self.off, self.o0, self.t0 = y, mask, off, o0, t0

    def fit(self, idx: np.ndarray, trend: bool):
        """Fit, re-weight and refit problems ``idx`` (algo.farrington.fitGLM.flexible)."""
        prm, tpl = self.prm, self.tpl
        y, mask = self.y[idx], self.mask[idx]
        off = None if self.off is None else self.off[idx]
        f = irls.irls(tpl, y, mask.astype(float), off, trend=trend)
        conv0 = f.converged
        phi = np.maximum(f.dispersion(y), 1.0)
        d_pred = f.dispersion(y)
        if prm.reweight:
            om = irls.anscombe_weights(tpl, f, y, mask, phi, prm.weights_threshold)
            f = irls.irls(tpl, y, om, off, trend=trend)
            phi = np.maximum(f.dispersion(y), 1.0)
            d_pred = (
                f.residual_dispersion(y, om) if prm.dispersion == "r_compat" else f.dispersion(y)
            )
        return f, conv0, phi, d_pred

    def predict(self, idx, f, d_pred, trend):
        x0 = _x0(self.tpl, self.current, self.t0[idx], trend)
        return x0, *irls.predict(f, x0, self.o0[idx], d_pred)


def _trend_kept(batch: _Batch, idx, f, d_pred) -> np.ndarray:
    """The trend rule of ``algo.farrington.glm`` (significance, >= 3 years, no extrapolation)."""
    prm = batch.prm
    _, eta0, _ = batch.predict(idx, f, d_pred, True)
    mu_hat = np.maximum(np.exp(eta0), irls.EPS)
    with np.errstate(all="ignore"):
        tval = f.beta[:, 1] / np.sqrt(d_pred * f.cov[:, 1, 1])
        pval = 2.0 * special.stdtr(f.df_r, -np.abs(tval))
    ymax = np.where(batch.mask[idx], batch.y[idx], -np.inf).max(axis=1)
    return (pval < prm.p_threshold_trend) & (prm.b >= 3) & (mu_hat <= ymax)


def _threshold(prm: FlexibleParams, eta0, se, phi):
    """Upper bound, expected value and the 'centre' used by R's score."""
    z = special.ndtri(1.0 - prm.alpha)
    with np.errstate(all="ignore"):
        if prm.threshold_method == "delta":
            mu0 = np.maximum(np.exp(eta0), irls.EPS)
            se_r = se * mu0
            tau = phi + se_r**2 / mu0
            e, sigma = {
                "2/3": (2.0 / 3.0, np.sqrt(4.0 / 9.0 * mu0 ** (1.0 / 3.0) * tau)),
                "1/2": (0.5, np.sqrt(tau / 4.0)),
                "none": (1.0, np.sqrt(mu0 * tau)),
            }[prm.powertrans]
            upper = (mu0**e + z * sigma) ** (1.0 / e)
            return upper, mu0, mu0
        m = np.exp(eta0) if prm.threshold_method == "nbPlugin" else np.exp(eta0 + z * se)
        upper = np.full(m.shape, np.nan)
        ok = np.isfinite(m) & ~np.isnan(phi)
        nb = ok & (phi > 1.0)
        po = ok & (phi <= 1.0)
        upper[nb] = qnbinom_mean(1.0 - prm.alpha, m[nb], phi[nb])
        upper[po] = qpois(1.0 - prm.alpha, m[po])
        return upper, np.exp(eta0), eta0


def _run_batch(batch: _Batch, yk: np.ndarray, enough: np.ndarray):
    prm = batch.prm
    nb = batch.y.shape[0]
    allidx = np.arange(nb)
    use_trend = np.zeros(nb, dtype=bool)
    eta0 = np.full(nb, np.nan)
    se = np.full(nb, np.nan)
    phi = np.full(nb, np.nan)
    failed = np.zeros(nb, dtype=bool)
    need_n = allidx
    if prm.trend:
        f, conv0, ph, dp = batch.fit(allidx, True)
        keep = conv0.copy()
        keep[conv0] = _trend_kept(batch, allidx[conv0], irls.subset(f, conv0), dp[conv0])
        _, e0, s0 = batch.predict(allidx, f, dp, True)
        eta0[keep], se[keep], phi[keep] = e0[keep], s0[keep], ph[keep]
        use_trend = keep
        need_n = allidx[~keep]
    if need_n.size:
        f, conv0, ph, dp = batch.fit(need_n, False)
        _, e0, s0 = batch.predict(need_n, f, dp, False)
        eta0[need_n], se[need_n], phi[need_n] = e0, s0, ph
        failed[need_n[~conv0]] = True
    failed |= np.isnan(phi)
    upper, expected, centre = _threshold(prm, eta0, se, phi)
    with np.errstate(all="ignore"):
        score = (yk - centre) / (upper - centre)
    yes = enough == 1.0
    ub = np.where(yes, upper, np.nan)
    alarm = (yes & (score > 1.0) & (yk != 0)).astype(float)
    exp_out = np.where(yes & ~np.isnan(upper), expected, np.nan)
    ub[failed], alarm[failed], exp_out[failed], score[failed] = np.nan, np.nan, 0.0, np.nan
    status = np.where(failed, STATUS_FAILED, STATUS_OK)
    return ub, alarm, exp_out, score, status, use_trend


def _gather(arr: np.ndarray, ks: np.ndarray, rel: np.ndarray) -> np.ndarray:
    """(S, K, rows) values at positions k + rel (1-based)."""
    cols = ks[:, None] + rel[None, :] - 1
    return arr[:, cols]


def farrington_flexible(
    observed: np.ndarray,
    params: FlexibleParams | None = None,
    *,
    dates: list[dt.date] | None = None,
    population: np.ndarray | None = None,
    t_from: int | None = None,
    t_to: int | None = None,
) -> Detection:
    """Run ``farringtonFlexible`` on every series (rows of ``observed``) for weeks t_from..t_to
    (1-based, default R's range ``52 b + w + 1 .. n``). Weeks without the history R needs are
    returned as NaN with status "too little data"; unfittable weeks as status "model failed"
    (R's NA, expected 0)."""
    prm = params or FlexibleParams()
    y = np.atleast_2d(np.asarray(observed, dtype=float))
    s, n = y.shape
    lo = prm.first_week() if t_from is None else t_from
    hi = n if t_to is None else t_to
    ts = np.arange(lo, hi + 1)
    out = Detection.empty(s, ts)
    if prm.population_offset and population is None:
        raise ValueError("population_offset needs population")
    logpop = None if not prm.population_offset else np.log(np.asarray(population, dtype=float))
    groups, _ = _patterns(n, [int(k) for k in ts if 1 <= k <= n], prm, dates)
    for (rel, levels, t), ks in groups.items():
        arrays = (np.array(ks), np.array(rel), np.array(levels), np.array(t))
        _run_group(prm, y, logpop, *arrays, out, dated=dates is not None)
    return out


def _run_group(prm, y, logpop, ks, rel, levels, t, out: Detection, *, dated: bool) -> None:
    tpl, current = _template(levels, t, prm.no_periods)
    s = y.shape[0]
    cols = ks - out.t[0]
    yk_all = y[:, ks - 1]
    enough_all = limit54_enough(y, ks, prm.limit54)
    per_chunk = max(1, CHUNK // s)
    for c0 in range(0, len(ks), per_chunk):
        kc = ks[c0 : c0 + per_chunk]
        yy = _gather(y, kc, rel).reshape(-1, len(rel))
        mask = ~np.isnan(yy)
        y0 = np.where(mask, yy, 0.0)
        if logpop is None:
            off, o0 = None, np.zeros(y0.shape[0])
        else:
            off = np.where(mask, _gather(logpop, kc, rel).reshape(-1, len(rel)), 0.0)
            o0 = logpop[:, kc - 1].reshape(-1)
        first = np.argmax(mask, axis=1)
        t0 = (
            t[0] - t[first] if dated else np.zeros(len(first))
        )  # R's dated prediction origin: the first non-NA baseline week
        batch = _Batch(prm, tpl, current, y0, mask, off, o0, t0)
        sl = slice(c0, c0 + len(kc))
        yk = yk_all[:, sl].reshape(-1)
        enough = enough_all[:, sl].reshape(-1)
        ub, al, ex, sc, st, _ = _run_batch(batch, yk, enough)
        cc = cols[sl]
        for name, val in (("upperbound", ub), ("alarm", al), ("expected", ex), ("score", sc)):
            getattr(out, name)[:, cc] = val.reshape(s, len(kc))
        out.status[:, cc] = st.reshape(s, len(kc))
