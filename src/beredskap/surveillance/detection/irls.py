"""R's quasi-Poisson IRLS (``glm.fit`` with ``quasipoisson(link = "log")``), batched.

Every problem shares one design *template*: rows with a seasonal level (factor, treatment
contrasts with level 0 as reference) and a time value; problems differ by their counts, a row
mask (R drops NA rows), prior weights and an offset. The iteration is R's exactly: start
``mu = y + 0.1``, ``maxit = 25``, stop when ``|dev - dev_old| / (|dev| + 0.1) < 1e-8``, and the
stored working weights and (X'WX)^-1 are those of the *last executed* iteration (lagged: R does
not recompute them after the final update). A problem is frozen once it meets the criterion.

The weighted least squares step uses the normal equations, assembled from per-level sums
(one matrix product over the batch), so the cost per iteration is O(problems x rows x levels).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

EPS = np.finfo(float).eps
MAXIT = 25
EPSILON = 1e-8


@dataclass(frozen=True)
class Template:
    """Design template: ``level[i]`` in 0..P-1 and time ``t[i]`` of each row."""

    level: np.ndarray
    t: np.ndarray
    n_levels: int

    @property
    def onehot(self) -> np.ndarray:
        return (self.level[:, None] == np.arange(self.n_levels)[None, :]).astype(float)

    def sums_matrix(self) -> np.ndarray:
        """(n, 3P): one-hot, one-hot x t, one-hot x t^2 (level sums by one matrix product)."""
        oh = self.onehot
        t = self.t[:, None]
        return np.concatenate([oh, oh * t, oh * t * t], axis=1)


@dataclass
class Fit:
    """Per-problem results of a fit (arrays over the batch)."""

    beta: np.ndarray  # (B, q): intercept, [time], level 1..P-1
    cov: np.ndarray  # (B, q, q) unscaled covariance (X'WX)^-1 with the lagged weights
    wt: np.ndarray  # (B, n) lagged working weights
    mu: np.ndarray  # (B, n) fitted values
    converged: np.ndarray  # (B,)
    df_r: np.ndarray  # (B,)
    trend: bool

    def residual_dispersion(self, y: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """sum(weights * ((y - mu)/mu)^2) / df_r over rows with weight > 0 (summary.glm)."""
        r = (y - self.mu) / self.mu
        with np.errstate(all="ignore"):
            num = np.where(weights > 0, weights * r * r, 0.0).sum(axis=1)
            return np.where(self.df_r > 0, num / self.df_r, np.nan)

    def dispersion(self, y: np.ndarray) -> np.ndarray:
        """Pearson dispersion as ``summary.glm`` computes it from the working weights."""
        return self.residual_dispersion(y, self.wt)


def _dev(y: np.ndarray, ysafe: np.ndarray, mu: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Quasi-Poisson deviance; ``ysafe`` is y with zeros replaced by 1 (the y = 0 term is mu)."""
    term = y * np.log(ysafe / mu)
    term -= y
    term += mu
    term *= w
    return 2.0 * term.sum(axis=1)


def _normal_equations(tpl: Template, m3: np.ndarray, wt: np.ndarray, wz: np.ndarray, trend: bool):
    """Assemble X'WX and X'Wz from per-level sums (two matrix products over the batch)."""
    p_lv = tpl.n_levels
    d = 2 if trend else 1
    q = d + p_lv - 1
    sw = wt @ m3
    sz = wz @ m3[:, : 2 * p_lv]
    s0, s1, s2 = sw[:, :p_lv], sw[:, p_lv : 2 * p_lv], sw[:, 2 * p_lv :]
    r0, r1 = sz[:, :p_lv], sz[:, p_lv:]
    b = wt.shape[0]
    a = np.zeros((b, q, q))
    rhs = np.zeros((b, q))
    a[:, 0, 0] = s0.sum(axis=1)
    rhs[:, 0] = r0.sum(axis=1)
    if trend:
        a[:, 0, 1] = a[:, 1, 0] = s1.sum(axis=1)
        a[:, 1, 1] = s2.sum(axis=1)
        rhs[:, 1] = r1.sum(axis=1)
        a[:, 1, d:] = s1[:, 1:]
        a[:, d:, 1] = s1[:, 1:]
    a[:, 0, d:] = s0[:, 1:]
    a[:, d:, 0] = s0[:, 1:]
    idx = np.arange(d, q)
    a[:, idx, idx] = s0[:, 1:]
    rhs[:, d:] = r0[:, 1:]
    return a, rhs


def _fix_empty(a: np.ndarray, rhs: np.ndarray):
    """Empty columns (a level without rows) are aliased: beta 0, rank - 1 (R pivots them out)."""
    diag = np.diagonal(a, axis1=1, axis2=2)
    empty = diag <= 0
    if empty.any():
        a = a.copy()
        bi, ci = np.nonzero(empty)
        a[bi, ci, :] = 0.0
        a[bi, :, ci] = 0.0
        a[bi, ci, ci] = 1.0
        rhs = np.where(empty, 0.0, rhs)
    return a, rhs, empty.sum(axis=1)


def _scale(a: np.ndarray) -> np.ndarray:
    # Jacobi scaling keeps the solution accurate when weights span many orders of magnitude.
    return 1.0 / np.sqrt(np.diagonal(a, axis1=1, axis2=2))


def _solve(a: np.ndarray, rhs: np.ndarray):
    """beta of the normal equations, the (fixed) matrix and the number of aliased columns."""
    a, rhs, n_alias = _fix_empty(a, rhs)
    sc = _scale(a)
    scaled = a * sc[:, :, None] * sc[:, None, :]
    beta = np.linalg.solve(scaled, (rhs * sc)[:, :, None])[:, :, 0] * sc
    return a, beta, n_alias


def _inverse(a: np.ndarray) -> np.ndarray:
    sc = _scale(a)
    return np.linalg.inv(a * sc[:, :, None] * sc[:, None, :]) * sc[:, :, None] * sc[:, None, :]


def linear_predictor(tpl: Template, beta: np.ndarray, trend: bool, oh_t=None) -> np.ndarray:
    """X beta for every template row (without offset)."""
    d = 2 if trend else 1
    lv = np.concatenate([beta[:, :1], beta[:, :1] + beta[:, d:]], axis=1)
    oh_t = tpl.onehot.T if oh_t is None else oh_t
    eta = lv @ oh_t
    if trend:
        eta += beta[:, 1:2] * tpl.t[None, :]
    return eta


def quad_rows(tpl: Template, cov: np.ndarray, trend: bool) -> np.ndarray:
    """x_i' C x_i for every template row (for hat values)."""
    d = 2 if trend else 1
    b = cov.shape[0]
    zero = np.zeros((b, 1))
    c0l = np.concatenate([zero, cov[:, 0, d:]], axis=1)[:, tpl.level]
    cll = np.concatenate([zero, np.diagonal(cov, axis1=1, axis2=2)[:, d:]], axis=1)[:, tpl.level]
    out = cov[:, :1, 0] + 2.0 * c0l + cll
    if trend:
        t = tpl.t[None, :]
        c1l = np.concatenate([zero, cov[:, 1, d:]], axis=1)[:, tpl.level]
        out = out + 2.0 * cov[:, :1, 1] * t + cov[:, 1:2, 1] * t * t + 2.0 * c1l * t
    return out


def irls(
    tpl: Template,
    y: np.ndarray,
    weights: np.ndarray,
    offset: np.ndarray | None,
    *,
    trend: bool,
) -> Fit:
    """Fit every problem (rows of ``y``) with R's iteration; ``weights`` 0 drops a row."""
    b, n = y.shape
    off = np.zeros_like(y) if offset is None else offset
    m3 = tpl.sums_matrix()
    oh_t = np.ascontiguousarray(tpl.onehot.T)
    d = 2 if trend else 1
    q = d + tpl.n_levels - 1
    ysafe = np.where(y > 0, y, 1.0)
    eta = np.log(y + 0.1)
    mu = np.maximum(np.exp(eta), EPS)
    dev_old = _dev(y, ysafe, mu, weights)
    beta = np.zeros((b, q))
    cov = np.zeros((b, q, q))
    wt = np.zeros((b, n))
    conv = np.zeros(b, dtype=bool)
    aliased = np.zeros(b, dtype=int)
    active = np.arange(b)
    for _ in range(MAXIT):
        whole = active.size == b
        pick = slice(None) if whole else active
        ya, wa, oa, ea, ma = y[pick], weights[pick], off[pick], eta[pick], mu[pick]
        # working weight pw * mu.eta^2 / mu = pw * mu and weighted working response pw*mu*z,
        # since mu.eta(eta) = max(exp(eta), eps) = mu for the log link
        w2 = wa * ma
        wz = w2 * (ea - oa)
        wz += wa * (ya - ma)
        a, rhs = _normal_equations(tpl, m3, w2, wz, trend)
        a, bet, n_alias = _solve(a, rhs)
        ea = linear_predictor(tpl, bet, trend, oh_t)
        ea += oa
        ma = np.maximum(np.exp(ea), EPS)
        dev = _dev(ya, ysafe[pick], ma, wa)
        beta[pick], cov[pick], wt[pick] = bet, a, w2
        eta[pick], mu[pick], aliased[pick] = ea, ma, n_alias
        with np.errstate(invalid="ignore"):
            done = np.abs(dev - dev_old[pick]) / (np.abs(dev) + 0.1) < EPSILON
        conv[active[done]] = True
        dev_old[pick] = dev
        active = active[~done]
        if active.size == 0:
            break
    n_obs = (weights > 0).sum(axis=1)
    cov = _inverse(cov)  # (X'WX)^-1 of the last executed iteration of each problem
    return Fit(beta, cov, wt, mu, conv, n_obs - (q - aliased), trend)


def hat_values(tpl: Template, fit: Fit) -> np.ndarray:
    """Leverages from the lagged weights; R sets h >= 1 - 10 eps to 1."""
    h = fit.wt * quad_rows(tpl, fit.cov, fit.trend)
    return np.where(h >= 1.0 - 10.0 * EPS, 1.0, h)


def anscombe_weights(
    tpl: Template, fit: Fit, y: np.ndarray, mask: np.ndarray, phi: np.ndarray, threshold: float
) -> np.ndarray:
    """Farrington re-weights from Anscombe residuals (``algo.farrington.assign.weights``)."""
    h = hat_values(tpl, fit)
    mu = fit.mu
    with np.errstate(all="ignore"):
        s = 1.5 * (np.cbrt(y) ** 2 * mu ** (-1.0 / 6.0) - np.sqrt(mu))
        s /= np.sqrt(phi[:, None] * (1.0 - h))
        big = s > threshold
        inv2 = 1.0 / (s * s)
        c = np.where(big, inv2, 1.0)
        gamma = mask.sum(axis=1) / np.where(mask, c, 0.0).sum(axis=1)
        omega = gamma[:, None] * c
    return np.where(mask, omega, 0.0)


def predict(fit: Fit, x0: np.ndarray, o0: np.ndarray, disp: np.ndarray):
    """Link-scale prediction and its standard error at rows ``x0`` (B, q)."""
    eta0 = np.einsum("bi,bi->b", x0, fit.beta) + o0
    var = np.einsum("bi,bij,bj->b", x0, fit.cov, x0)
    with np.errstate(invalid="ignore"):
        se = np.sqrt(var * disp)
    return eta0, se


def subset(fit: Fit, idx: np.ndarray) -> Fit:
    return Fit(
        fit.beta[idx],
        fit.cov[idx],
        fit.wt[idx],
        fit.mu[idx],
        fit.converged[idx],
        fit.df_r[idx],
        fit.trend,
    )
