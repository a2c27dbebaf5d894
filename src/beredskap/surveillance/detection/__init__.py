"""Outbreak-detection algorithms, R-exact (NumPy/SciPy only; no Django import).

The reference implementation is the R package ``surveillance`` 1.20.3; the behaviour, including
the quirks that must be replicated to match it, is specified in ``SURVEILLANCE.md`` (shared
reference). Knowledge preparedness in Meld. St. 5 (2023–2024) section 5.4 asks for surveillance
that sees a threat early; these are the methods epidemiologists compare against.

Modules
    :mod:`.irls`      R's quasi-Poisson IRLS, batched over problems
    :mod:`.quantiles` R's discrete quantiles (``qpois``/``qnbinom``), vectorised
    :mod:`.baseline`  reference weeks and seasonal blocks
    :mod:`.flexible`  ``farringtonFlexible`` (Noufaily settings, nbPlugin / muan / delta)
    :mod:`.farrington` ``algo.farrington`` (Farrington et al. 1996)
    :mod:`.ears`      EARS C1, C2, C3
    :mod:`.quasipoisson` FHI's Sykdomspulsen quasi-Poisson regression
"""

from .ears import ears
from .farrington import farrington
from .flexible import FlexibleParams, farrington_flexible
from .quasipoisson import QPParams, sykdomspulsen
from .result import STATUS_FAILED, STATUS_OK, STATUS_TOO_LITTLE, Detection

__all__ = [
    "STATUS_FAILED",
    "STATUS_OK",
    "STATUS_TOO_LITTLE",
    "Detection",
    "FlexibleParams",
    "QPParams",
    "ears",
    "farrington",
    "farrington_flexible",
    "sykdomspulsen",
]
