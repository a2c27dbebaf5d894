"""Chunk-by-chunk ensemble reduction agrees with the plain NumPy reductions it replaces."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from beredskap.sim.demand import aggregate, quantiles
from beredskap.sim.ensemble import EnsembleReducer, member_quantiles, sort_rows
from beredskap.sim.epidemic import summarise
from beredskap.sim.errors import ParameterError

QS = (0.05, 0.25, 0.5, 0.75, 0.95)


@settings(max_examples=60, deadline=None)
@given(
    arrays(
        np.int32,
        st.tuples(st.integers(1, 40), st.integers(1, 5), st.integers(1, 4)),
        elements=st.integers(0, 10_000),
    ),
    st.lists(st.floats(0, 1), min_size=1, max_size=6),
)
def test_member_quantiles_equal_numpy_quantile(x, qs):
    np.testing.assert_array_equal(member_quantiles(x, qs, threads=2), np.quantile(x, qs, axis=0))


def test_quantiles_of_floats_and_the_threaded_sort():
    rng = np.random.default_rng(1)
    x = rng.gamma(2.0, 3.0, size=(101, 30, 7)).astype(np.float32)
    np.testing.assert_allclose(
        quantiles(x), np.quantile(x.astype(np.float64), QS, axis=0), rtol=1e-6
    )
    rows = rng.integers(0, 50, size=(9000, 33)).astype(np.int32)  # several sorting tasks
    expected = np.sort(rows, axis=1)
    sort_rows(rows, threads=2)
    np.testing.assert_array_equal(rows, expected)
    with pytest.raises(ParameterError):
        sort_rows(rows[:, ::2])
    with pytest.raises(ParameterError, match="within"):
        member_quantiles(x, [1.5])


def test_reducer_in_chunks_out_of_order_equals_the_whole_array():
    rng = np.random.default_rng(7)
    members, days, nodes = 37, 20, 11
    x = rng.poisson(
        rng.gamma(1.0, 20.0, size=(1, days, nodes)), size=(members, days, nodes)
    ).astype(np.int32)
    x[3, :, 4] = 5  # a flat series: the peak is the first day, as argmax
    groups = [np.array([0, 0, 1, 1, 1, 2, 2, 2, 2, 0, 1]), np.zeros(nodes, dtype=int)]
    red = EnsembleReducer(members, days, nodes, groups, [3, 1])
    for lo in (16, 0, 32, 8, 24):
        red.add(lo, x[lo : lo + 8])
    assert red.complete
    pop = np.full(nodes, 1000)
    expected = summarise(x, pop)
    got = red.summary(pop)
    assert (
        got.attack_rate == pytest.approx(expected.attack_rate) and got.peak_day == expected.peak_day
    )
    np.testing.assert_array_equal(got.node_peak_day, expected.node_peak_day)
    np.testing.assert_allclose(got.node_attack_rate, expected.node_attack_rate)
    np.testing.assert_array_equal(
        red.grouped[:, :, red.spans[0]], aggregate(x.astype(np.float32), groups[0], 3)
    )
    np.testing.assert_array_equal(red.grouped[:, :, red.spans[1]][..., 0], x.sum(axis=2))
    q = red.node_quantiles(QS)
    assert q.dtype == np.float32
    np.testing.assert_array_equal(q, np.quantile(x, QS, axis=0).astype(np.float32))
    np.testing.assert_array_equal(red.node_quantiles(QS), q)  # asking twice is fine
    with pytest.raises(ParameterError, match="already been reduced"):
        red.add(0, x[:8])


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"members": 0}, "members"),
        ({"groups": [np.array([0, 5])], "group_counts": [2]}, "group index"),
        ({"groups": [np.array([0, 1])], "group_counts": []}, "one group count"),
    ],
)
def test_reducer_validation(kwargs, match):
    args = {"members": 4, "days": 3, "nodes": 2, **kwargs}
    with pytest.raises(ParameterError, match=match):
        EnsembleReducer(**args)


def test_reducer_refuses_chunks_that_do_not_fit():
    red = EnsembleReducer(4, 3, 2)
    with pytest.raises(ParameterError, match="outside"):
        red.add(2, np.zeros((3, 3, 2), dtype=np.int32))
    with pytest.raises(ParameterError, match="days, nodes"):
        red.add(0, np.zeros((2, 4, 2), dtype=np.int32))
