"""The county governor's compliance table is computed from records that hold: a municipality's
overall ROS is its own (sivilbeskyttelsesloven § 14), approved by its leadership, and «sist øvd»
is the latest completed exercise linked to the plan."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from beredskap.core.errors import PermissionDenied
from beredskap.core.models import Municipality
from beredskap.planning import queries, services
from beredskap.risk.models import RosAnalysis
from tests.factories import make_user, verified_client
from tests.planning.builders import exercise_plan
from tests.risk.builders import approve, make_analysis, make_event


def _narvik_row(user):
    narvik = Municipality.objects.get(number="1806")
    return queries.municipality_rows(user, [narvik])[0]


def test_a_bodo_user_cannot_make_narviks_ros_current(org, statsforvalter):
    bodo_leader = make_user("bodoleder", org("Bodø kommune"), role="administrator")
    narvik = Municipality.objects.get(number="1806")
    assert _narvik_row(statsforvalter).ros_status == "missing"
    with pytest.raises(ValidationError, match="eies av kommunen selv"):
        make_analysis(bodo_leader, org("Bodø kommune"), scope="municipality", municipality=narvik)
    # an analysis written straight into the database (as older data was) does not count either
    stray = RosAnalysis.objects.create(
        owner_org=org("Bodø kommune"),
        title="Narviks ROS laget i Bodø",
        scope="municipality",
        municipality=narvik,
        period_start=timezone.localdate() - timedelta(days=30),
        period_end=timezone.localdate() + timedelta(days=1400),
        status="approved",
        approved_on=timezone.localdate() - timedelta(days=10),
    )
    assert _narvik_row(statsforvalter).ros_status == "missing"
    RosAnalysis.objects.filter(pk=stray.pk).update(status="draft", approved_on=None)
    stray.refresh_from_db()
    make_event(bodo_leader, stray)
    with pytest.raises(ValidationError, match="eies av kommunen selv"):
        approve(bodo_leader, stray, on=timezone.localdate())
    assert _narvik_row(statsforvalter).ros_status == "missing"


def test_only_the_owners_leadership_approves_its_ros(org, statsforvalter):
    narvik = Municipality.objects.get(number="1806")
    writer = make_user("narvikrapp", org("Narvik kommune"), role="reporter")
    leader = make_user("narvikleder", org("Narvik kommune"), role="administrator")
    analysis = make_analysis(
        writer, org("Narvik kommune"), scope="municipality", municipality=narvik
    )
    make_event(writer, analysis)
    with pytest.raises(PermissionDenied, match="ledelse"):
        approve(writer, analysis, on=timezone.localdate())
    assert _narvik_row(statsforvalter).ros_status == "missing"
    approve(leader, analysis, on=timezone.localdate())
    assert _narvik_row(statsforvalter).ros_status == "ok"


def test_an_intermunicipal_cooperation_may_own_its_members_ros(org):
    from beredskap.actors.models import Organisation

    cooperation = Organisation.objects.create(name="Ofoten interkommunale ROS", kind="municipality")
    cooperation.served_municipalities.add(Municipality.objects.get(number="1806"))
    leader = make_user("ofoten", cooperation, role="administrator")
    analysis = make_analysis(
        leader,
        cooperation,
        scope="municipality",
        municipality=Municipality.objects.get(number="1806"),
    )
    make_event(leader, analysis)
    approve(leader, analysis, on=timezone.localdate())
    sf = make_user("sfn", org("Statsforvalteren i Nordland"), clearance=2)
    assert _narvik_row(sf).ros_status == "ok"
    with pytest.raises(ValidationError):
        make_analysis(
            leader,
            cooperation,
            scope="municipality",
            municipality=Municipality.objects.get(number="1804"),
        )


def test_a_municipality_cannot_make_a_sector_wide_ros(org):
    bodo = make_user("bodo", org("Bodø kommune"), role="administrator")
    with pytest.raises(ValidationError, match="nasjonalt nivå"):
        make_analysis(bodo, org("Bodø kommune"), scope="sector")
    page = verified_client(bodo).get("/risiko/ny/").content.decode()
    assert 'value="sector"' not in page and 'value="municipality"' in page
    select = page.split('name="municipality"')[1].split("</select>")[0]
    assert "Bodø" in select and "Narvik" not in select  # only her own municipality is offered


def test_sist_ovd_is_the_latest_completed_linked_exercise_shown_with_a_link(org, statsforvalter):
    narvik = make_user("narvik", org("Narvik kommune"), role="administrator")
    today = timezone.localdate()
    plan = services.create_plan(
        by=narvik,
        owner_org=org("Narvik kommune"),
        title="Overordnet beredskapsplan Narvik",
        plan_type="overall",
        approved_on=today - timedelta(days=1000),
    )
    assert _narvik_row(statsforvalter).exercise_status == "never"
    planned = exercise_plan(narvik, plan, today + timedelta(days=20), conduct=False)
    assert _narvik_row(statsforvalter).exercise_status == "never"  # a planned one is no exercise
    held = exercise_plan(narvik, plan, today - timedelta(days=40), title="Flomøvelse Narvik")
    row = _narvik_row(statsforvalter)
    assert row.exercise_status == "ok" and row.last_exercise_id == held.pk != planned.pk
    page = verified_client(narvik).get(f"/planverk/planer/{plan.pk}/").content.decode()
    exercised = page.split('id="plan-exercised"')[1].split("</dd>")[0]
    assert f'href="/ovelser/{held.pk}/"' in exercised and "Flomøvelse Narvik" in exercised
    table = verified_client(statsforvalter).get("/planverk/etterlevelse/").content.decode()
    assert f'href="/ovelser/{held.pk}/"' in table


def test_a_typed_exercise_date_is_refused_by_the_form_and_shown_as_stated_only(org):
    from beredskap.planning.models import Plan

    narvik = make_user("narvik", org("Narvik kommune"), role="administrator")
    today = timezone.localdate()
    plan = services.create_plan(
        by=narvik,
        owner_org=org("Narvik kommune"),
        title="Overordnet",
        plan_type="overall",
        approved_on=today - timedelta(days=1000),
    )
    Plan.objects.filter(pk=plan.pk).update(stated_exercised_on=today - timedelta(days=10))
    client = verified_client(narvik)
    assert 'name="last_exercised_on"' not in client.get("/planverk/planer/ny/").content.decode()
    page = client.get(f"/planverk/planer/{plan.pk}/").content.decode()
    exercised = page.split('id="plan-exercised"')[1].split("</dd>")[0]
    assert "oppgitt, ikke dokumentert" in exercised and "Ingen gjennomført øvelse" in exercised
    assert queries.plans(narvik).get(pk=plan.pk).status == "not_exercised"
