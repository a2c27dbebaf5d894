"""Same seed, same ensemble: one thread, several threads, processes and Dask."""

import numpy as np
import pytest

from beredskap.sim.epidemic import run_chain_binomial
from beredskap.sim.params import EpidemicParams, Seeding, Uncertainty

PARAMS = EpidemicParams(beta=0.45, days=40, seeding=Seeding(20, 20, node=0))
UNC = Uncertainty(r0=(1.8, 2.6), latent_days=(2.0, 4.0), seed_exposed=(5, 30))


def ensemble(small_network, **kw):
    pop, flows = small_network
    return run_chain_binomial(pop, flows, PARAMS, members=20, seed=99, uncertainty=UNC, **kw)


def test_same_seed_same_result_threads_and_processes(small_network):
    one = ensemble(small_network, backend="threads", workers=1)
    assert one.shape == (20, 40, 4) and one.sum() > 0
    np.testing.assert_array_equal(one, ensemble(small_network, backend="threads", workers=2))
    np.testing.assert_array_equal(one, ensemble(small_network, backend="processes", workers=2))
    pop, flows = small_network
    first = run_chain_binomial(pop, flows, PARAMS, members=5, seed=99, uncertainty=UNC)
    np.testing.assert_array_equal(first, one[:5])  # members do not depend on ensemble size
    other = run_chain_binomial(pop, flows, PARAMS, members=5, seed=100, uncertainty=UNC)
    assert not np.array_equal(first, other)


def test_same_seed_same_result_on_dask(small_network, monkeypatch):
    distributed = pytest.importorskip("distributed")
    one = ensemble(small_network, backend="threads", workers=1)
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        monkeypatch.setenv("BEREDSKAP_DASK_SCHEDULER", cluster.scheduler_address)
        np.testing.assert_array_equal(one, ensemble(small_network))  # backend="auto"


def test_chunked_iteration_equals_one_run(small_network):
    from beredskap.sim.epidemic import iter_chain_binomial

    pop, flows = small_network
    whole = ensemble(small_network, backend="threads", workers=1)
    chunks = list(
        iter_chain_binomial(
            pop, flows, PARAMS, members=20, seed=99, uncertainty=UNC, chunk_size=8, workers=1
        )
    )
    assert [lo for lo, _ in chunks] == [0, 8, 16]
    assert [b.shape[0] for _, b in chunks] == [8, 8, 4]
    np.testing.assert_array_equal(np.concatenate([b for _, b in chunks]), whole)


def test_chunked_iteration_can_stop_early(small_network):
    from beredskap.sim.epidemic import iter_chain_binomial

    pop, flows = small_network
    seen = []
    for lo, _block in iter_chain_binomial(pop, flows, PARAMS, members=20, seed=99, chunk_size=5):
        seen.append(lo)
        if lo >= 5:
            break
    assert seen == [0, 5]
    with pytest.raises(ValueError, match="chunk_size"):
        next(iter_chain_binomial(pop, flows, PARAMS, members=20, seed=99, chunk_size=0))


def test_a_callers_output_buffer_is_filled_with_the_same_result(small_network):
    whole = ensemble(small_network, backend="threads", workers=1)
    buffer = np.full(whole.shape, -1, dtype=np.int32)
    for backend in ("threads", "auto", "processes"):
        buffer[...] = -1
        returned = ensemble(small_network, backend=backend, out=buffer)
        assert returned is buffer
        np.testing.assert_array_equal(buffer, whole)


@pytest.mark.parametrize(
    "bad, message",
    [
        (np.zeros((20, 40, 4), dtype=np.int64), "int32 array of shape"),
        (np.zeros((19, 40, 4), dtype=np.int32), r"shape \(20, 40, 4\), got int32 \(19, 40, 4\)"),
        (np.zeros((20, 4, 40), dtype=np.int32).transpose(0, 2, 1), "C-contiguous"),
        ([[0]], "got list"),
    ],
)
def test_an_unusable_output_buffer_is_refused(small_network, bad, message):
    with pytest.raises(ValueError, match=message):
        ensemble(small_network, out=bad)


def test_chunks_written_into_one_reused_buffer_equal_one_run(small_network):
    from beredskap.sim.epidemic import iter_chain_binomial

    pop, flows = small_network
    whole = ensemble(small_network, backend="threads", workers=1)
    copies, views = [], []
    for _lo, block in iter_chain_binomial(
        pop,
        flows,
        PARAMS,
        members=20,
        seed=99,
        uncertainty=UNC,
        chunk_size=8,
        workers=1,
        reuse_buffer=True,
    ):
        views.append(block)
        copies.append(block.copy())
    assert [b.shape[0] for b in copies] == [8, 8, 4]
    assert np.shares_memory(views[0], views[1]) and np.shares_memory(views[1], views[2])
    np.testing.assert_array_equal(np.concatenate(copies), whole)
