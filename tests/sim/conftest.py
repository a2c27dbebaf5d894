"""Shared fixtures for the simulation tests (pure NumPy/numba, no Django)."""

import numpy as np
import pytest
import scipy.sparse as sp


@pytest.fixture
def small_network():
    """Four nodes with asymmetric commuting."""
    pop = np.array([50_000, 20_000, 8_000, 2_000])
    flows = sp.csr_matrix(
        np.array(
            [
                [0, 2_000, 500, 0],
                [1_500, 0, 300, 100],
                [200, 400, 0, 50],
                [0, 80, 60, 0],
            ],
            dtype=float,
        )
    )
    return pop, flows
