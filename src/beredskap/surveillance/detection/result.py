"""The result of a detection run: one row per series, one column per monitored period."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

STATUS_OK = 0
STATUS_TOO_LITTLE = 1  # not enough history for the method (R refuses or drops the week)
STATUS_FAILED = 2  # the model could not be fitted (R returns NA)


@dataclass
class Detection:
    """Arrays of shape (series, periods); NaN marks R's NA.

    ``alarm`` is 0/1 with NaN for NA; ``status`` says why a value is missing, so a caller
    never shows a silent "normal" for a week the model could not assess.
    """

    t: np.ndarray  # 1-based period indices of the columns
    upperbound: np.ndarray
    alarm: np.ndarray
    expected: np.ndarray
    score: np.ndarray
    status: np.ndarray
    medium: np.ndarray | None = None  # a method's own lower («middels») threshold, if it has one

    @classmethod
    def empty(cls, n_series: int, t: np.ndarray) -> Detection:
        shape = (n_series, len(t))
        nan = np.full(shape, np.nan)
        return cls(
            t=np.asarray(t),
            upperbound=nan.copy(),
            alarm=nan.copy(),
            expected=nan.copy(),
            score=nan.copy(),
            status=np.full(shape, STATUS_TOO_LITTLE, dtype=np.int8),
        )
