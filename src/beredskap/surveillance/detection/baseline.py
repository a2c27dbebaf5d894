"""Reference weeks and baseline blocks, as ``algo.farrington.referencetimepoints`` and
``blocks`` in R's ``surveillance`` compute them (SURVEILLANCE.md sections 2.2, 2.3 and 3)."""

from __future__ import annotations

import datetime as dt

import numpy as np

FREQ = 52


class TooLittleData(ValueError):
    """The week has not enough history for the method's reference weeks."""


def r_colon(a: int, b: int) -> list[int]:
    """R's ``a:b`` (descending when b < a)."""
    return list(range(a, b + 1)) if b >= a else list(range(a, b - 1, -1))


def minus_years(d: dt.date, j: int) -> dt.date:
    """R ``seq(d, by = "-1 year")``: same month and day; 29 February becomes 1 March."""
    try:
        return d.replace(year=d.year - j)
    except ValueError:
        return dt.date(d.year - j, 3, 1)


def _wday(d: dt.date) -> int:
    return d.isoweekday() % 7


def nearest_same_weekday(r: dt.date, day: dt.date) -> dt.date:
    """Move r to the closest date with ``day``'s weekday (R's A/B rule)."""
    a = r - dt.timedelta(days=_wday(r) - _wday(day))
    b = a + dt.timedelta(days=-7 if a > r else 7)
    return b if abs((a - r).days) > abs((b - r).days) else a


def reference_positions(
    k: int, b: int, dates: list[dt.date] | None, index: dict[dt.date, int] | None
) -> list[int]:
    """1-based positions of week k and its b reference weeks (k first)."""
    if dates is None:
        refs = [k - FREQ * j for j in range(b + 1)]
        if min(refs) < 1:
            raise TooLittleData
        return refs
    assert index is not None
    day = dates[k - 1]
    out = []
    for j in range(b + 1):
        r = nearest_same_weekday(minus_years(day, j), day)
        if r not in index:
            raise TooLittleData
        out.append(index[r])
    return out


def blocks(k: int, n: int, refs: list[int], w: int, p: int) -> np.ndarray:
    """Seasonal-level vector (1-based, index 0 unused; NaN = not in the baseline)."""
    v = np.full(n + 1, np.nan)
    if k - w < 1:
        raise TooLittleData
    v[k - w : k + 1] = p
    weeks = sorted(refs, reverse=True)
    for i in range(1, len(weeks)):
        ref = weeks[i]
        if ref - w < 1:
            raise TooLittleData
        v[ref - w : ref + w + 1] = p
        if p != 1:
            period = weeks[i - 1] - 2 * w - 1 - ref
            if period < p - (2 * w + 1):
                raise TooLittleData
            lengths = [period // (p - 1)] * (p - 1)
            for j in range(period % (p - 1)):
                lengths[j] += 1
            cum = np.cumsum([0, *lengths])
            for j in range(1, p):
                idx = r_colon(ref + w + 1 + int(cum[j - 1]), ref + w + 1 + int(cum[j]) - 1)
                v[idx] = j
    return v


def flexible_rows(
    k: int, n: int, refs: list[int], w: int, p: int, pwni: int
) -> tuple[np.ndarray, np.ndarray]:
    """Baseline positions (1-based, ascending) and their level values for week k."""
    v = blocks(k, n, refs, w, p)
    v[r_colon(k - pwni, k)] = np.nan
    pos = np.nonzero(~np.isnan(v))[0]
    return pos, v[pos]


def farrington_rows(
    k: int, b: int, w: int, dates: list[dt.date] | None, index: dict[dt.date, int] | None
) -> np.ndarray:
    """Reference positions of ``algo.farrington`` (missing ones dropped, as R does)."""
    if dates is None:
        pos = [k - FREQ * i + s for i in range(b, 0, -1) for s in range(-w, w + 1)]
        return np.array([x for x in pos if x > 0], dtype=int)
    assert index is not None
    day = dates[k - 1]
    wd = _wday(day)
    out = []
    for j in range(1, b + 1):
        ref = minus_years(day, j)
        for s in range(-w, w + 1):
            r = ref + dt.timedelta(days=7 * s)
            fwd = (wd - _wday(r)) % 7
            bwd = (_wday(r) - wd) % 7
            r = r + dt.timedelta(days=fwd if fwd < bwd else -bwd)
            if r in index:
                out.append(index[r])
    return np.array(out, dtype=int)
