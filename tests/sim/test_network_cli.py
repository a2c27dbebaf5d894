"""Reference data loading, gravity model, CLI and the smaller scenario modules."""

import json

import numpy as np
import pytest

from beredskap.sim import cli, personnel, supply, water
from beredskap.sim.network import (
    gravity_flows,
    haversine_km,
    load_ssb_commuting,
    mixing_operator,
    municipalities,
    municipality_codes,
    read_flow_csv,
)
from beredskap.sim.regions import grouping


def test_ssb_commuting_matrix():
    codes = municipality_codes()
    assert len(codes) == 357 and codes == sorted(codes) and codes[0] == "0301"
    c = load_ssb_commuting()
    assert c.shape == (357, 357) and c.sum() == pytest.approx(2_809_789)
    bærum, oslo = codes.index("3201"), codes.index("0301")
    assert c[bærum, oslo] == 29_502
    pop = np.array([m.population for m in municipalities()])
    p = mixing_operator(pop, c)
    np.testing.assert_allclose(np.asarray(p.sum(axis=1)).ravel(), 1.0)


def test_flow_csv_importer(tmp_path):
    f = tmp_path / "flows.csv"
    f.write_text("from,to,n\n0301,3201,10\n0301,3201,5\n4601,0301,2\n")
    m = read_flow_csv(f, origin="from", destination="to", flow="n")
    codes = municipality_codes()
    assert m[codes.index("0301"), codes.index("3201")] == 15 and m.sum() == 17
    f.write_text("from,to,n\n0301,9999,1\n")
    with pytest.raises(ValueError, match="9999"):
        read_flow_csv(f, origin="from", destination="to", flow="n")


def test_gravity_model_shares_and_distance_decay():
    ms = municipalities()[:30]
    pop = np.array([m.population for m in ms], dtype=float)
    d = haversine_km(np.array([m.lat for m in ms]), np.array([m.lon for m in ms]))
    flows = gravity_flows(pop, d, commuting_share=0.1).toarray()
    has = flows.sum(1) > 0
    np.testing.assert_allclose(flows.sum(1)[has], 0.1 * pop[has])
    assert np.all(np.diag(flows) == 0) and np.all(flows[d > 150] == 0)


def test_region_grouping():
    index, names = grouping("rhf")
    assert len(names) == 4 and index.size == 357
    assert names[index[0]] == "Helse Sør-Øst"  # Oslo


def test_cli_epidemic_json_single_node(capsys):
    rc = cli.main(
        [
            "epidemic",
            "--population",
            "1000000",
            "--r0",
            "2",
            "--days",
            "300",
            "--deterministic",
            "--json",
        ]
    )
    assert rc == 0
    res = json.loads(capsys.readouterr().out)
    assert res["attack_rate"] == pytest.approx(0.797, abs=0.003)
    assert res["nodes"][0]["attack_rate"] == pytest.approx(res["attack_rate"])
    assert 0 < res["nodes"][0]["peak_day"] < 300


def test_cli_epidemic_municipalities_human_output(capsys, tmp_path):
    cap = tmp_path / "cap.csv"
    cap.write_text(
        "group,capacity\nHelse Sør-Øst,1\nHelse Vest,1\nHelse Midt-Norge,1\nHelse Nord,100000\n"
    )
    rc = cli.main(
        [
            "epidemic",
            "--members",
            "8",
            "--seed",
            "3",
            "--days",
            "200",
            "--seed-node",
            "4601",
            "--capacity-file",
            str(cap),
        ]
    )
    out = capsys.readouterr().out
    assert rc == 0 and "national attack rate" in out and "Helse Vest" in out
    assert cli.main(["epidemic", "--seed-node", "9999", "--deterministic"]) == 2
    assert "9999" in capsys.readouterr().err


def test_cli_scenarios(tmp_path, capsys):
    water_s = {
        "municipalities": ["4601"],
        "days": 4,
        "institution_beds": {"4601": 1000},
        "capacity_litres_per_day": {"4601": 100000},
    }
    path = tmp_path / "w.json"
    path.write_text(json.dumps(water_s))
    assert cli.main(["water", str(path)]) == 0
    res = json.loads(capsys.readouterr().out)["results"][0]
    assert res["demand_litres_per_day"] == pytest.approx(291_940 * 3 + 1000 * 50)
    demand_s = {
        "infections": [[1000.0] * 60, [10.0] * 60],
        "groups": ["A", "B"],
        "capacity": [5, 5],
    }
    path.write_text(json.dumps(demand_s))
    assert cli.main(["demand", str(path)]) == 0
    assert json.loads(capsys.readouterr().out)["bottlenecks"][0]["group"] == "A"


def test_supply_stockout_with_disruption():
    p = supply.Product(
        "masks",
        np.array([1000.0]),
        1.0,
        np.array([100.0]),
        0.0,
        np.zeros(1),
        np.array([100.0]),
        disruption_probability=1.0,
        disruption_weeks=2,
        disruption_start_day=0,
        reduced_share=0.0,
    )
    out = supply.days_to_stockout(supply.stock_paths(p, 60, 4, seed=1))
    assert np.all(out == 10)  # 1000 in stock, 100/day used, no deliveries for 14 days
    p_ok = supply.Product(
        "masks", np.array([1000.0]), 1.0, np.array([100.0]), 0.0, np.zeros(1), np.array([100.0])
    )
    assert np.all(np.isinf(supply.days_to_stockout(supply.stock_paths(p_ok, 60, 4, 1))))


def test_personnel_shortfall_follows_epidemic():
    inc = np.zeros((1, 30))
    inc[0, 10] = 10_000
    absent = personnel.absence_share(
        inc, np.array([100_000]), sick_days=5, symptomatic_share=1.0, care_factor=0.0
    )
    assert absent[0, 10:15] == pytest.approx(0.1) and absent[0, 15] == 0 and absent[0, 9] == 0
    short = personnel.shortfall(np.array([[100.0]]), np.array([[95.0]]), absent)
    assert short[0, 0, 12] == pytest.approx(5.0) and short[0, 0, 20] == 0


def test_water_shortfall():
    r = water.emergency_water([1000], [10], [2000], days=3)
    assert r["demand_per_day"][0] == 3500 and r["shortfall_total"][0] == 4500
