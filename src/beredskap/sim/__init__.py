"""Beredskap simulation engine (pure Python/NumPy/numba; no Django).

Modules
    :mod:`.epidemic`  metapopulation SEIR (chain binomial and mean field), ensembles
    :mod:`.network`   municipalities, SSB commuting, flow CSV import, gravity model
    :mod:`.params`    typed, validated parameters
    :mod:`.demand`    hospital/ICU demand, aggregation, quantiles, bottlenecks, transfers
    :mod:`.supply`    stock depletion and days to stock-out
    :mod:`.personnel` absence and staff shortfall
    :mod:`.water`     emergency drinking water during loss of supply
    :mod:`.cli`       ``beredskap simulate ...``

White paper references: section 2.2.1 (shared modelling groups and models) and 4.6
(analysis of capacity and bottlenecks in a crisis).
"""

from . import _jitcache
from .errors import ParameterError

_jitcache.configure()  # before any compiled module is imported (see _jitcache)

__all__ = ["ParameterError"]
