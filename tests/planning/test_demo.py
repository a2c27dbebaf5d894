"""The risk and planning demo loaders are idempotent and give the demo users something to see."""

from beredskap.actors.demo import load_demo as load_actors_demo
from beredskap.planning.demo import load_demo as load_planning_demo
from beredskap.planning.models import Plan, Scenario
from beredskap.risk.demo import load_demo as load_risk_demo
from beredskap.risk.models import RosAnalysis, UndesiredEvent


def test_demo_data_loads_twice_without_duplicates(db):
    load_actors_demo()
    load_risk_demo()
    load_planning_demo()
    counts = (
        RosAnalysis.objects.count(),
        UndesiredEvent.objects.count(),
        Scenario.objects.count(),
        Plan.objects.count(),
    )
    load_risk_demo()
    load_planning_demo()
    assert counts == (
        RosAnalysis.objects.count(),
        UndesiredEvent.objects.count(),
        Scenario.objects.count(),
        Plan.objects.count(),
    )
    sector = RosAnalysis.objects.get(scope="sector")
    assert sector.events.count() >= 25 and sector.status == "approved"
    assert set(sector.events.values_list("risk_area", flat=True)) >= {
        "civil_military",
        "digital_security",
        "supply_security",
        "infection",
        "water",
        "nuclear",
    }
    statuses = {
        p.status for p in Plan.objects.filter(owner_org__municipality__county__name="Nordland")
    }
    assert {"up_to_date", "not_exercised", "review_overdue"} <= statuses
    assert Scenario.objects.get(title="Pandemisk influensa").epidemic_parameters()["r0"] == 1.6
