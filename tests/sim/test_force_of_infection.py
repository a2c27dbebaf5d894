"""The force of infection's sparse products (sim._kernel.lane_product): exact and vectorised."""

from __future__ import annotations

import numba
import numpy as np
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as hst

from beredskap.sim import _jitcache, _kernel


@settings(max_examples=60, deadline=None)
@given(
    nodes=hst.integers(1, 40),
    groups=hst.integers(1, 3),
    density=hst.floats(0.0, 1.0),
    seed=hst.integers(0, 2**32 - 1),
)
def test_the_lane_product_is_scipys_product_to_the_bit(nodes, groups, density, seed):
    """y[i*A+a] = (P x_a)[i] · row_scale[i*A+a] · node_scale[i] for every age group a, with
    each lane summed in index order as SciPy does: no rounding differs."""
    rng = np.random.default_rng(seed)
    p = sp.random(nodes, nodes, density=density, format="csr", random_state=rng)
    p.data = rng.lognormal(0.0, 2.0, p.nnz)  # wide magnitudes: the order of the sum matters
    x = rng.lognormal(3.0, 3.0, (nodes * groups, _kernel.W))
    row_scale = rng.random(nodes * groups)
    node_scale = rng.random(nodes)
    y = np.full((nodes * groups, _kernel.W), np.nan)
    _kernel.lane_product(
        x,
        p.indptr.astype(np.int64),
        p.indices.astype(np.int64),
        p.data,
        groups,
        row_scale,
        node_scale,
        y,
    )
    for a in range(groups):
        expected = (p @ x[a::groups]) * (row_scale[a::groups] * node_scale)[:, None]
        assert np.array_equal(y[a::groups], expected)


def test_a_scale_of_one_leaves_the_sums_exact():
    """λ = P z is the lane product with both scales 1."""
    p = sp.csr_matrix(np.array([[0.1, 0.0, 0.7], [0.0, 1e-17, 1.0], [0.3, 0.3, 0.3]]))
    z = np.arange(3 * _kernel.W, dtype=float).reshape(3, _kernel.W) / 7.0
    lam = np.empty_like(z)
    ones = np.ones(3)
    _kernel.lane_product(
        z, p.indptr.astype(np.int64), p.indices.astype(np.int64), p.data, 1, ones, ones, lam
    )
    assert np.array_equal(lam, p @ z)


def _optimised_ir(slp: bool) -> str:
    compile_lanes = numba.njit(_kernel._LANE_PRODUCT_SIGNATURE)  # a fresh, uncached compile
    if slp:
        with _jitcache.slp_vectorized():
            compiled = compile_lanes(_kernel._lane_product)
    else:
        compiled = compile_lanes(_kernel._lane_product)
    return compiled.inspect_llvm(compiled.signatures[0])


def test_the_lane_product_is_compiled_to_packed_vector_arithmetic():
    """With the SLP vectoriser (scoped by _jitcache.slp_vectorized) the 8 lanes become
    packed multiplies; numba's default leaves them scalar, and the default is restored."""
    assert "fmul <" in _optimised_ir(slp=True)
    assert "fmul <" not in _optimised_ir(slp=False)
    assert numba.config.SLP_VECTORIZE == 0
