"""Run parameters: bounds, rules across fields, translation to the engine."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from beredskap.modelling.parameters import RunParameters, parse_parameters, to_sim


def errors_of(data: dict) -> dict:
    with pytest.raises(ValidationError) as info:
        parse_parameters(data)
    return info.value.message_dict


def test_defaults_are_valid_and_use_r0():
    p = parse_parameters({})
    epi, unc, demand = to_sim(p)
    assert epi.r0 == 2.0 and epi.days == 365 and unc is None
    assert demand.ihr == 0.01 and p.effective_members == 100


def test_r0_and_beta_together_are_refused():
    assert "r0" in errors_of({"r0": 2.0, "beta": 0.3})
    assert "r0" in errors_of({"r0": None})


def test_r0_range_must_contain_r0():
    assert (
        "R0 må ligge mellom" in errors_of({"r0": 2.0, "r0_low": 2.2, "r0_high": 3.0})["r0_low"][0]
    )
    assert "både nedre og øvre" in errors_of({"r0_low": 1.5})["r0_low"][0]
    p = parse_parameters({"r0": 2.0, "r0_low": 1.5, "r0_high": 2.5})
    assert to_sim(p)[1].r0 == (1.5, 2.5)


def test_unknown_municipality_is_refused_with_its_number():
    assert "9999" in errors_of({"seed_municipality": "9999"})["seed_municipality"][0]
    assert "seed_municipality" in errors_of({"seed_municipality": "oslo"})


def test_more_seeds_than_residents_are_refused():
    utsira = "1151"
    assert "seed_exposed" in errors_of({"seed_municipality": utsira, "seed_exposed": 5000})
    assert "seed_exposed" in errors_of({"seed_exposed": 0, "seed_infectious": 0})


def test_interventions_are_checked():
    bad_order = {"interventions": [{"start_day": 30, "end_day": 10, "reduction": 0.3}]}
    assert "sluttdag" in errors_of(bad_order)["interventions"][0]
    unknown = {
        "interventions": [
            {"start_day": 0, "end_day": 10, "reduction": 0.3, "municipalities": ["0000"]}
        ]
    }
    assert "0000" in errors_of(unknown)["interventions"][0]
    assert "interventions.0.reduction" in errors_of(
        {"interventions": [{"start_day": 0, "end_day": 5, "reduction": 2}]}
    )
    ok = parse_parameters(
        {
            "days": 100,
            "interventions": [
                {
                    "start_day": 20,
                    "end_day": 400,
                    "reduction": 0.5,
                    "municipalities": ["0301", "4601"],
                }
            ],
        }
    )
    (iv,) = to_sim(ok)[0].interventions
    assert iv.end_day == 100 and len(iv.nodes) == 2


def test_entered_capacity_needs_all_four_health_regions():
    base = {"capacity_source": "entered"}
    assert "capacity_entered" in errors_of({**base, "capacity_entered": {"H12": 100}})
    assert "capacity_entered" in errors_of({**base, "capacity_entered": {"H99": 1}})
    parse_parameters({**base, "capacity_entered": {"H12": 150, "H03": 60, "H04": 40, "H05": 30}})


def test_unknown_fields_are_refused():
    assert "wat" in errors_of({"wat": 1})


@settings(max_examples=40, deadline=None)
@given(members=st.integers(-5, 5000), days=st.integers(-5, 1000), r0=st.floats(-1, 30))
def test_bounds_hold_for_any_input(members, days, r0):
    data = {"members": members, "days": days, "r0": r0}
    valid = 1 <= members <= 2000 and 1 <= days <= 730 and 0 < r0 <= 20
    try:
        p = parse_parameters(data)
    except ValidationError:
        assert not valid
    else:
        assert valid and isinstance(p, RunParameters)


def test_deterministic_without_range_has_one_member():
    assert parse_parameters({"deterministic": True, "members": 50}).effective_members == 1
    ranged = parse_parameters({"deterministic": True, "members": 50, "r0_low": 1.5, "r0_high": 2.5})
    assert ranged.effective_members == 50
