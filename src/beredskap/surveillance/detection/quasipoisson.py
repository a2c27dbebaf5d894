"""FHI's Sykdomspulsen quasi-Poisson regression (NorSySS), batched over series.

Sykdomspulsen is how FHI watches GP consultations by syndrome in every municipality
(SURVEILLANCE.md section 5, from FHI's ``QuasipoissonTrainPredictData``). Per prediction year,
one model is fitted on the five calendar years before it and predicts every week of the year:

    n ~ offset(log(denominator)) + trend + sin(2 pi (week - 1) / 52) + cos(...) [+ holiday]

with ``trend = (days since 1970-01-01 - 13000) / 100`` of the week's Monday, quasi-Poisson with
log link fitted the way R's ``glm.fit`` does (start ``mu = y + 0.1``, relative deviance change
below 1e-8, at most 25 iterations, the last iteration's weights kept). The fit is reweighted
once: Anscombe residuals standardised by the first fit's dispersion and leverage, residuals
below 1 set to 1, weights ``res^-2`` scaled to sum to the number of rows, and refitted. The
second fit's dispersion is *not* floored at 1. Thresholds use Farrington's 2/3-power interval
with fixed z: ``U_z = (mu0^(2/3) + z sigma)^(3/2)``, ``sigma^2 = 4/9 mu0^(1/3) (phi + se^2/mu0)``;
z = 2 bounds «middels» (medium) and z = 4 «høy» (high), each only when more than one case.

Two deliberate departures from FHI's code, both so that nothing is shown as normal that was not
assessed: a year with fewer than ``min_train_years`` full years before it is *too little data*
(FHI then trains on the first five years of the series, which includes the year under test);
and a fit that fails or predicts above 1e10 is *failed* (FHI writes expected 0 and thresholds
5/10/15, shown as normal).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from .result import STATUS_FAILED, STATUS_OK, STATUS_TOO_LITTLE, Detection

MAXIT = 25
EPSILON = 1e-8
EPOCH = dt.date(1970, 1, 1)
Z_MEDIUM, Z_HIGH = 2.0, 4.0
PREDICTION_LIMIT = 1e10


@dataclass(frozen=True)
class QPParams:
    train_years: int = 5
    min_train_years: int = 3


@dataclass
class _Fit:
    beta: np.ndarray  # (B, q)
    cov: np.ndarray  # (B, q, q) unscaled (X'WX)^-1 with the last iteration's weights
    wt: np.ndarray  # (B, n) the last iteration's working weights (prior weights included)
    mu: np.ndarray  # (B, n)
    converged: np.ndarray  # (B,)
    df_r: np.ndarray  # (B,)

    def dispersion(self, y: np.ndarray) -> np.ndarray:
        """``summary.glm``'s Pearson dispersion from the working weights and final mu."""
        r = np.where(self.wt > 0, (y - self.mu) / self.mu, 0.0)
        with np.errstate(all="ignore"):
            return np.where(self.df_r > 0, (self.wt * r * r).sum(axis=1) / self.df_r, np.nan)

    def hat(self, x: np.ndarray) -> np.ndarray:
        """Leverages ``w_i x_i' (X'WX)^-1 x_i`` (R's ``hatvalues`` for a GLM)."""
        return self.wt * np.einsum("ni,bij,nj->bn", x, self.cov, x)


def design(dates: list[dt.date], holiday: np.ndarray | None = None) -> np.ndarray:
    """(n, q) columns: intercept, trend, sin, cos of the ISO week [, holiday share]."""
    week = np.array([d.isocalendar()[1] for d in dates], dtype=float)
    days = np.array([(d - EPOCH).days for d in dates], dtype=float)
    angle = 2 * np.pi * (week - 1) / 52
    cols = [np.ones(len(dates)), (days - 13000) / 100, np.sin(angle), np.cos(angle)]
    if holiday is not None:
        cols.append(np.asarray(holiday, dtype=float))
    return np.column_stack(cols)


def _dev(y: np.ndarray, mu: np.ndarray, w: np.ndarray) -> np.ndarray:
    with np.errstate(all="ignore"):
        term = np.where(y > 0, y * np.log(np.where(y > 0, y, 1.0) / mu), 0.0) - (y - mu)
    return 2.0 * np.where(w > 0, w * term, 0.0).sum(axis=1)


def _solve(a: np.ndarray, rhs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Solve per problem with Jacobi scaling; singular problems get NaN."""
    d = np.sqrt(np.clip(np.diagonal(a, axis1=1, axis2=2), 1e-300, None))
    scaled = a / d[:, :, None] / d[:, None, :]
    inv = np.full_like(a, np.nan)
    ok = np.linalg.cond(scaled) < 1e12
    if ok.any():
        inv[ok] = np.linalg.inv(scaled[ok]) / d[ok][:, :, None] / d[ok][:, None, :]
    beta = np.einsum("bij,bj->bi", inv, rhs)
    return beta, inv


def fit(x: np.ndarray, y: np.ndarray, offset: np.ndarray, prior: np.ndarray) -> _Fit:
    """R's ``glm.fit`` for quasi-Poisson, log link; rows with prior weight 0 are left out."""
    y0 = np.where(prior > 0, y, 0.0)
    eta = np.log(y0 + 0.1)
    mu = np.exp(eta)
    dev_old = _dev(y0, mu, prior)
    b, n = y.shape
    q = x.shape[1]
    beta = np.zeros((b, q))
    cov = np.full((b, q, q), np.nan)
    wt = np.zeros((b, n))
    done = np.zeros(b, dtype=bool)
    for _ in range(MAXIT):
        active = ~done
        z = eta - offset + (y0 - mu) / mu
        w = prior * mu
        a = np.einsum("bn,ni,nj->bij", w[active], x, x)
        rhs = np.einsum("bn,ni->bi", w[active] * z[active], x)
        new_beta, new_cov = _solve(a, rhs)
        beta[active], cov[active], wt[active] = new_beta, new_cov, w[active]
        eta[active] = new_beta @ x.T + offset[active]
        mu[active] = np.exp(eta[active])
        dev = _dev(y0[active], mu[active], prior[active])
        with np.errstate(all="ignore"):
            met = np.abs(dev - dev_old[active]) / (np.abs(dev) + 0.1) < EPSILON
        dev_old[active] = dev
        done[np.flatnonzero(active)[met]] = True
        if done.all():
            break
    df_r = (prior > 0).sum(axis=1) - q
    return _Fit(beta=beta, cov=cov, wt=wt, mu=mu, converged=done, df_r=df_r)


def _reweighted(x: np.ndarray, y: np.ndarray, offset: np.ndarray, present: np.ndarray) -> _Fit:
    first = fit(x, y, offset, present.astype(float))
    phi = first.dispersion(np.where(present, y, 0.0))
    h = first.hat(x)
    with np.errstate(all="ignore"):
        res = (1.5 * (y ** (2 / 3) * first.mu ** (-1 / 6) - first.mu**0.5)) / np.sqrt(
            phi[:, None] * (1 - h)
        )
        res = np.where(present, np.maximum(np.nan_to_num(res, nan=1.0), 1.0), 1.0)
        w = np.where(present, res**-2.0, 0.0)
        w *= present.sum(axis=1, keepdims=True) / w.sum(axis=1, keepdims=True)
    second = fit(x, y, offset, w)
    second.converged &= first.converged
    return second


def _offset(denominator: np.ndarray | None, shape: tuple[int, int]) -> np.ndarray:
    if denominator is None:
        return np.zeros(shape)
    with np.errstate(all="ignore"):
        return np.log(np.maximum(np.nan_to_num(denominator, nan=1.0), 1.0))


def sykdomspulsen(
    y: np.ndarray,
    dates: list[dt.date],
    *,
    denominator: np.ndarray | None = None,
    holiday: np.ndarray | None = None,
    params: QPParams | None = None,
    t_from: int = 1,
) -> Detection:
    """Assess periods ``t_from``.. of every series (rows of ``y``; NaN = no report).

    ``upperbound`` is the high threshold (z = 4) and ``alarm`` the high level; ``medium`` holds
    the medium threshold (z = 2); ``score`` is the z-score on the 2/3-power scale.
    """
    prm = params or QPParams()
    y = np.atleast_2d(np.asarray(y, dtype=float))
    den = None if denominator is None else np.atleast_2d(np.asarray(denominator, dtype=float))
    missing_den = np.zeros_like(y, dtype=bool) if den is None else np.isnan(den)
    x = design(dates, holiday)
    offset = _offset(den, y.shape)
    t = np.arange(t_from, len(dates) + 1)
    out = Detection.empty(y.shape[0], t)
    out.medium = np.full(out.upperbound.shape, np.nan)
    years = np.array([d.isocalendar()[0] for d in dates])
    for year in sorted(set(years[t - 1].tolist())):
        _assess_year(out, y, x, offset, missing_den, years, int(year), prm, t)
    return out


def _assess_year(out, y, x, offset, missing_den, years, year, prm, t) -> None:  # noqa: PLR0913
    columns = np.flatnonzero(years[t - 1] == year)
    prior_years = [yr for yr in range(year - prm.train_years, year) if (years == yr).any()]
    if len(prior_years) < prm.min_train_years:
        return  # too little: status stays STATUS_TOO_LITTLE
    train = np.isin(years, prior_years)
    present = ~np.isnan(y[:, train]) & ~missing_den[:, train]
    enough = present.sum(axis=1) > x.shape[1] + 1
    model = _reweighted(x[train], y[:, train], offset[:, train], present & enough[:, None])
    phi = model.dispersion(np.where(present, y[:, train], 0.0))
    rows = t[columns] - 1
    xp = x[rows]
    with np.errstate(all="ignore"):
        mu0 = np.exp(model.beta @ xp.T + offset[:, rows])
        se = mu0 * np.sqrt(phi[:, None] * np.einsum("ni,bij,nj->bn", xp, model.cov, xp))
        sigma = np.sqrt(4 / 9 * mu0 ** (1 / 3) * (phi[:, None] + se**2 / mu0))
        observed = y[:, rows]
        upper_medium = (mu0 ** (2 / 3) + Z_MEDIUM * sigma) ** 1.5
        upper_high = (mu0 ** (2 / 3) + Z_HIGH * sigma) ** 1.5
        score = (observed ** (2 / 3) - mu0 ** (2 / 3)) / sigma
    failed = (
        ~model.converged[:, None]
        | ~np.isfinite(mu0)
        | (mu0 > PREDICTION_LIMIT)
        | ~np.isfinite(upper_high)
    )
    failed &= enough[:, None]
    ok = enough[:, None] & ~failed
    assessed = ok & ~np.isnan(observed)
    out.status[:, columns] = np.where(
        ok, STATUS_OK, np.where(failed, STATUS_FAILED, STATUS_TOO_LITTLE)
    )
    out.expected[:, columns] = np.where(ok, mu0, np.nan)
    out.upperbound[:, columns] = np.where(ok, upper_high, np.nan)
    out.medium[:, columns] = np.where(ok, upper_medium, np.nan)
    out.score[:, columns] = np.where(assessed, score, np.nan)
    high = (observed > 1) & (observed > upper_high)
    out.alarm[:, columns] = np.where(assessed, high.astype(float), np.nan)
