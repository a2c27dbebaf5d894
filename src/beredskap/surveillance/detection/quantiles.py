"""R's discrete quantiles ``qpois`` and ``qnbinom`` (R >= 4.2), vectorised.

R returns the smallest integer q >= 0 with F(q) >= p (1 + 2 eps). We bracket and bisect on
integers with SciPy's regularised incomplete beta / gamma functions (the same CDFs as R's
``pnbinom``/``ppois``). Means above 2**52 are not representable as integers; there the normal
approximation is returned (R's own search cannot shrink its bracket either).
"""

from __future__ import annotations

import numpy as np
from scipy import special

EPS = np.finfo(float).eps
_BIG = 2.0**52


def _nb_cdf(q: np.ndarray, size: np.ndarray, prob: np.ndarray) -> np.ndarray:
    return special.betainc(size, q + 1.0, prob)


def _pois_cdf(q: np.ndarray, lam: np.ndarray) -> np.ndarray:
    return special.pdtr(q, lam)


def _search(cdf, target: np.ndarray, start: np.ndarray, *args: np.ndarray) -> np.ndarray:
    """Smallest integer q >= 0 with cdf(q) >= target, bracketing from the Cornish-Fisher start."""
    start = np.maximum(start, 0.0)
    ok0 = cdf(start, *args) >= target
    step = np.maximum(np.floor(np.sqrt(np.maximum(start, 1.0))), 1.0)
    hi = np.where(ok0, start, start + step)
    lo = np.where(ok0, start - step, start)
    for _ in range(1100):
        lo_bad = (lo >= 0) & (cdf(np.maximum(lo, 0.0), *args) >= target)
        hi_bad = cdf(hi, *args) < target
        if not (lo_bad.any() or hi_bad.any()):
            break
        step = step * 2.0
        hi = np.where(lo_bad, lo, hi)
        lo = np.where(lo_bad, lo - step, lo)
        lo = np.where(hi_bad, hi, lo)
        hi = np.where(hi_bad, hi + step, hi)
    lo = np.maximum(lo, -1.0)
    for _ in range(1100):
        gap = hi - lo
        live = (gap > 1.0) & (lo + 1.0 < hi)
        if not live.any():
            break
        mid = np.floor((lo + hi) / 2.0)
        fm = cdf(np.maximum(mid, 0.0), *args) >= target
        hi = np.where(live & fm, mid, hi)
        lo = np.where(live & ~fm, mid, lo)
    return hi


def qnbinom_mean(p: float, mean: np.ndarray, phi: np.ndarray) -> np.ndarray:
    """``qnbinom(p, size = mean/(phi-1), prob = 1/phi)`` (NB with variance phi*mean), phi > 1."""
    mean = np.asarray(mean, dtype=float)
    phi = np.asarray(phi, dtype=float)
    out = np.full(mean.shape, np.nan)
    size = mean / (phi - 1.0)
    prob = 1.0 / phi
    finite = np.isfinite(mean) & (mean >= 0)
    huge = finite & (mean > _BIG)
    zero = finite & ((size == 0) | (prob == 1.0))
    todo = finite & ~huge & ~zero
    out[zero] = 0.0
    z = special.ndtri(p)
    out[huge] = np.round(mean[huge] + z * np.sqrt(mean[huge] * phi[huge]))
    if todo.any():
        s, pr = size[todo], prob[todo]
        q_ = 1.0 / pr
        pp = (1.0 - pr) * q_
        mu = s * pp
        sigma = np.sqrt(s * pp * q_)
        gamma = (q_ + pp) / sigma
        start = np.round(mu + sigma * (z + gamma * (z * z - 1.0) / 6.0))
        target = np.full(s.shape, p * (1.0 + 2.0 * EPS))
        out[todo] = _search(_nb_cdf, target, start, s, pr)
    return out


def qpois(p: float, lam: np.ndarray) -> np.ndarray:
    """``qpois(p, lambda)``."""
    lam = np.asarray(lam, dtype=float)
    out = np.full(lam.shape, np.nan)
    finite = np.isfinite(lam) & (lam >= 0)
    huge = finite & (lam > _BIG)
    zero = finite & (lam == 0)
    todo = finite & ~huge & ~zero
    z = special.ndtri(p)
    out[zero] = 0.0
    out[huge] = np.round(lam[huge] + z * np.sqrt(lam[huge]))
    if todo.any():
        lt = lam[todo]
        sigma = np.sqrt(lt)
        start = np.round(lt + sigma * (z + (z * z - 1.0) / (6.0 * sigma)))
        target = np.full(lt.shape, p * (1.0 + 2.0 * EPS))
        out[todo] = _search(_pois_cdf, target, start, lt)
    return out


def nb_upper_tail(y: np.ndarray, mean: np.ndarray, phi: np.ndarray) -> np.ndarray:
    """P(Y >= y) under the NB with mean ``mean`` and variance ``phi*mean`` (Poisson if phi = 1),
    as R's ``pnbinom(y - 1, ..., lower.tail = FALSE)``."""
    y = np.asarray(y, dtype=float)
    with np.errstate(all="ignore"):
        nb = special.betaincc(mean / (phi - 1.0), np.maximum(y, 1.0), 1.0 / phi)
        po = special.pdtrc(np.maximum(y, 1.0) - 1.0, mean)
        out = np.where(phi == 1.0, po, nb)
    return np.where(y <= 0, 1.0, out)
