"""Every parameter rule raises a clear ParameterError."""

import numpy as np
import pytest
import scipy.sparse as sp

from beredskap.sim import demand, personnel, supply, water
from beredskap.sim.epidemic import run_chain_binomial, run_deterministic
from beredskap.sim.errors import ParameterError
from beredskap.sim.network import gravity_flows, lookup_codes, mixing_operator
from beredskap.sim.params import (
    AgeStructure,
    EpidemicParams,
    Intervention,
    Seeding,
    Uncertainty,
    Vaccination,
)

OK = EpidemicParams(beta=0.3, days=10)
POP = np.array([1000, 2000])

CASES = {
    "negative beta": lambda: EpidemicParams(beta=-0.1),
    "beta and r0": lambda: EpidemicParams(beta=0.1, r0=2),
    "no rate": lambda: EpidemicParams(),
    "zero latent": lambda: EpidemicParams(r0=2, latent_days=0),
    "negative infectious": lambda: EpidemicParams(r0=2, infectious_days=-1),
    "days zero": lambda: EpidemicParams(r0=2, days=0),
    "alpha": lambda: EpidemicParams(r0=2, alpha=1.5),
    "negative seeding": lambda: Seeding(exposed=-1),
    "intervention reduction": lambda: Intervention(0, 10, 1.5),
    "intervention days": lambda: Intervention(10, 5, 0.5),
    "vaccination coverage": lambda: Vaccination(initial_coverage=1.2),
    "vaccination rate": lambda: Vaccination(daily_rate=-0.1),
    "age not square": lambda: AgeStructure((0.5, 0.5), ((1, 2, 3), (1, 2, 3))),
    "age shares": lambda: AgeStructure((0.5, 0.6), ((1, 0), (0, 1))),
    "uncertainty range": lambda: Uncertainty(r0=(3, 2)),
    "uncertainty both": lambda: Uncertainty(r0=(1, 2), beta=(0.1, 0.2)),
    "non-square commuting": lambda: mixing_operator(POP, np.ones((2, 3))),
    "commuting size": lambda: mixing_operator(POP, np.ones((3, 3))),
    "commuting > population": lambda: mixing_operator(POP, sp.csr_matrix([[0, 1001], [0, 0]])),
    "negative flow": lambda: mixing_operator(POP, np.array([[0, -1], [0, 0]])),
    "negative population": lambda: run_deterministic(np.array([-1, 5]), None, OK),
    "fractional population": lambda: run_deterministic(np.array([1.5]), None, OK),
    "seed node out of range": lambda: run_deterministic(
        POP, None, EpidemicParams(beta=0.3, seeding=Seeding(node=5))
    ),
    "seeds exceed node": lambda: run_deterministic(
        np.array([10]), None, EpidemicParams(beta=0.3, seeding=Seeding(20, 20))
    ),
    "members": lambda: run_chain_binomial(POP, None, OK, members=0),
    "backend": lambda: run_chain_binomial(POP, None, OK, backend="gpu"),
    "unknown municipality": lambda: lookup_codes(["0301", "9999"]),
    "gravity distances": lambda: gravity_flows(POP, np.ones((3, 3))),
    "delay pmf": lambda: demand.admissions(np.ones((1, 5, 1)), 0.1, [0.5, 0.2]),
    "ihr": lambda: demand.DemandParams(ihr=1.5),
    "capacity": lambda: demand.bottleneck_report(np.ones((1, 3, 2)), [1, -1], ["a", "b"]),
    "supply negative": lambda: supply.Product(
        "x", np.array([-1.0]), 1, np.ones(1), 0, np.ones(1), np.ones(1)
    ),
    "personnel shape": lambda: personnel.absence_share(np.ones((2, 5)), np.ones(3)),
    "water negative": lambda: water.emergency_water([-1], [0], [0], 3),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_invalid_parameters_raise_parameter_error(name):
    with pytest.raises(ParameterError) as info:
        CASES[name]()
    assert str(info.value)  # a message for the user
    assert isinstance(info.value, ValueError)


def test_valid_parameters_pass():
    assert run_deterministic(POP, sp.csr_matrix([[0, 10], [20, 0]]), OK).shape == (1, 10, 2)
    assert EpidemicParams(r0=2.0).basic_reproduction_number == pytest.approx(2.0)
