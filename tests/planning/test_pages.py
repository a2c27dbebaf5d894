"""Planning pages: plans register, scenarios, assumptions, compliance table, box 2.1, import."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from beredskap.actors.models import Reminder
from beredskap.core.models import Municipality
from beredskap.planning import services
from beredskap.planning.models import Plan, Scenario
from tests.factories import make_user, verified_client
from tests.planning.builders import exercise_plan
from tests.risk.builders import approve, make_analysis, make_event


@pytest.fixture
def bodo(org):
    return make_user("bodo", org("Bodø kommune"), role="administrator")


@pytest.fixture
def sf(org):
    return make_user("sf", org("Statsforvalteren i Nordland"), role="reporter")


def test_the_register_shows_computed_status_and_filters_by_it(bodo, org):
    today = timezone.localdate()
    overall = services.create_plan(
        by=bodo,
        owner_org=org("Bodø kommune"),
        title="Overordnet plan",
        plan_type="overall",
        approved_on=today - timedelta(days=1000),
    )
    exercise_plan(bodo, overall, today - timedelta(days=900))
    services.create_plan(
        by=bodo,
        owner_org=org("Bodø kommune"),
        title="Smitteplan Bodø",
        plan_type="infection",
        approved_on=today - timedelta(days=100),
    )
    client = verified_client(bodo)
    page = client.get("/planverk/").content.decode()
    assert "Ikke øvd innen syklus" in page and "Oppdatert" in page
    only = client.get("/planverk/?status=not_exercised").content.decode()
    assert "Overordnet plan" in only and "Smitteplan Bodø" not in only
    start = client.get("/").content.decode()
    assert "Beredskapsplaner som krever oppfølging" in start and "Overordnet plan" in start


def test_a_plan_is_created_and_a_bad_date_is_refused_through_the_form(bodo, org):
    client = verified_client(bodo)
    future = (timezone.localdate() + timedelta(days=5)).isoformat()
    response = client.post(
        "/planverk/planer/ny/",
        {
            "owner_org": org("Bodø kommune").pk,
            "title": "Plan",
            "plan_type": "overall",
            "review_cycle_years": 4,
            "approved_on": future,
            "classification": 0,
        },
    )
    assert response.status_code == 400 and "fram i tid" in response.content.decode()
    response = client.post(
        "/planverk/planer/ny/",
        {
            "owner_org": org("Bodø kommune").pk,
            "title": "Plan",
            "plan_type": "overall",
            "review_cycle_years": 4,
            "classification": 0,
        },
    )
    assert response.status_code == 302 and Plan.objects.filter(title="Plan").exists()


def test_a_secretariat_user_derives_a_scenario_and_an_assumption(org):
    hod = make_user("hod", org("HOD"), role="secretariat", clearance=1)
    analysis = make_analysis(hod, org("HOD"), classification=1)
    event = make_event(hod, analysis, title="Pandemisk influensa", risk_area="infection")
    client = verified_client(hod)
    assert (
        "Lag scenario fra hendelsen"
        in client.get(f"/risiko/hendelser/{event.pk}/").content.decode()
    )
    response = client.post(f"/planverk/scenarioer/fra-hendelse/{event.pk}/")
    scenario = Scenario.objects.get(title="Pandemisk influensa")
    assert response.status_code == 302 and list(scenario.source_events.all()) == [event]
    response = client.post(
        "/planverk/planforutsetninger/ny/",
        {
            "owner_org": org("HOD").pk,
            "title": "Fravær 20 %",
            "statement": "Planlegg for 20 % fravær i 8 uker.",
            "level": "national",
            "source_scenario": scenario.pk,
            "valid_from": "2025-01-01",
            "required_plan_types": ["overall", "infection"],
            "classification": 0,
        },
    )
    assert response.status_code == 302
    page = client.get(f"/planverk/scenarioer/{scenario.pk}/").content.decode()
    assert "Fravær 20 %" in page and "Pandemisk influensa" in page


def test_the_scenario_list_hides_classified_scenarios_from_outsiders(org):
    hod = make_user("hod", org("HOD"), role="secretariat", clearance=1)
    services.create_scenario(
        by=hod,
        owner_org=org("HOD"),
        title="Hemmelig-ish",
        risk_area="civil_military",
        classification=1,
    )
    assert "Hemmelig-ish" in verified_client(hod).get("/planverk/scenarioer/").content.decode()
    outsider = verified_client(make_user("ute", org("Bodø kommune"), clearance=1))
    assert "Hemmelig-ish" not in outsider.get("/planverk/scenarioer/").content.decode()


def test_the_statsforvalter_sees_her_municipalities_compliance_table(sf, bodo, org):
    today = timezone.localdate()
    analysis = make_analysis(
        bodo,
        org("Bodø kommune"),
        title="ROS Bodø",
        scope="municipality",
        municipality=Municipality.objects.get(number="1804"),
    )
    make_event(bodo, analysis)
    approve(bodo, analysis, on=today - timedelta(days=365))
    for kind in ("overall", "health_care", "infection"):
        plan = services.create_plan(
            by=bodo,
            owner_org=org("Bodø kommune"),
            title=kind,
            plan_type=kind,
            approved_on=today - timedelta(days=30),
        )
        if kind == "overall":
            exercise_plan(bodo, plan, today - timedelta(days=30))
    client = verified_client(sf)
    page = client.get("/planverk/etterlevelse/").content.decode()
    table = page.split('id="compliance"')[1]
    assert "Bodø" in table and "Narvik" in table and "Oslo" not in table and "Tromsø" not in table
    assert "1.0 år gammel" in table or "1,0 år gammel" in table
    flagged = (
        client.get("/planverk/etterlevelse/?vis=flagged")
        .content.decode()
        .split('id="compliance"')[1]
    )
    assert "Narvik" in flagged and ">Bodø<" not in flagged
    drill = client.get("/planverk/etterlevelse/kommune/1806/").content.decode()
    assert "Send påminnelse" in drill
    from beredskap.actors.models import ContactPoint

    ContactPoint.objects.create(
        organisation=org("Narvik kommune"), kind="email", value="post@narvik.test"
    )
    client.post("/planverk/etterlevelse/kommune/1806/paminnelse/", {"message": "Husk ROS."})
    assert Reminder.objects.filter(to_org=org("Narvik kommune")).count() == 1
    client.post("/planverk/etterlevelse/kommune/0301/paminnelse/", {"message": "Husk ROS."})
    assert not Reminder.objects.filter(to_org=org("Oslo kommune")).exists()


def test_others_get_the_national_rollup(org):
    client = verified_client(make_user("fhi", org("FHI")))
    response = client.get("/planverk/etterlevelse/", follow=True)
    page = response.content.decode()
    assert "Per fylke" in page and "Nordland" in page and "Atomhendelser" in page


def test_the_box_2_1_checklist_is_edited_by_the_ministry(org):
    hod = make_user("hod", org("HOD"), role="secretariat")
    client = verified_client(hod)
    client.post(
        f"/planverk/krav/{org('HOD').pk}/",
        {
            "requirement": "5",
            "status": "met",
            "evidence": "Mål i tildelingsbrevet",
            "evidence_url": "",
        },
    )
    page = client.get(f"/planverk/krav/{org('HOD').pk}/").content.decode()
    assert "1 av 10 krav er oppfylt" in page and "Mål i tildelingsbrevet" in page
    assert "Egenvurdering" in page.split('id="krav-5"')[1].split("</li>")[0]
    reader = verified_client(make_user("les", org("FHI")))
    assert (
        reader.post(
            f"/planverk/krav/{org('HOD').pk}/", {"requirement": "3", "status": "met"}
        ).status_code
        == 404
    )


def test_plan_import_is_all_or_nothing(bodo):
    csv_text = (
        "eier;tittel;plantype;godkjent;sist_ovd\n"
        "Bodø kommune;Overordnet;overall;2024-01-01;2024-06-01\n"
        "Finnes ikke kommune;Plan;overall;2024-01-01;\n"
        "Bodø kommune;Smitte;smitte;2024-01-01;\n"
    )
    client = verified_client(bodo)
    response = client.post(
        "/planverk/planer/import/", {"file": SimpleUploadedFile("p.csv", csv_text.encode())}
    )
    page = response.content.decode()
    assert response.status_code == 400 and "Linje 3" in page and "Linje 4" in page
    assert not Plan.objects.exists()
    good = "\n".join(csv_text.splitlines()[:2]) + "\n"
    response = client.post(
        "/planverk/planer/import/", {"file": SimpleUploadedFile("p.csv", good.encode())}
    )
    assert response.status_code == 200 and Plan.objects.count() == 1


def test_the_adviser_opens_a_municipality_and_reminds_it_in_two_clicks(sf, org):
    """Monday: the start page lists Narvik (no ROS, no plans) → one click opens it, one click
    sends the reminder."""
    narvik_reporter = make_user("narvik", org("Narvik kommune"), role="reporter")
    narvik_reporter.person.email = "beredskap@narvik.test"
    narvik_reporter.person.save()
    client = verified_client(sf)
    start = client.get("/").content.decode().split('id="h-muni-status"')[1].split("</section>")[0]
    assert '<a class="ds-link" href="/planverk/etterlevelse/kommune/1806/">Narvik</a>' in start
    assert "ROS mangler" in start and "av 41 kommuner har avvik" in start
    table = client.get("/planverk/etterlevelse/").content.decode()
    assert 'href="/planverk/etterlevelse/kommune/1806/"' in table
    drill = client.get("/planverk/etterlevelse/kommune/1806/").content.decode()
    assert "Send påminnelse: Helhetlig ROS-analyse mangler" in drill
    done = client.post(
        "/planverk/etterlevelse/kommune/1806/paminnelse/",
        {"topic": "Helhetlig ROS-analyse mangler"},
        follow=True,
    ).content.decode()
    assert "e-post går til 1 mottakere" in done  # sent after commit; receipts on the list
    reminder = Reminder.objects.get(to_org=org("Narvik kommune"))
    assert reminder.topic == "Helhetlig ROS-analyse mangler" and reminder.from_org == org(
        "Statsforvalteren i Nordland"
    )
    assert reminder.link == "/planverk/etterlevelse/kommune/1806/"
    assert (
        "Helhetlig ROS-analyse mangler"
        in verified_client(narvik_reporter).get("/").content.decode()
    )
    assert (
        "Helhetlig ROS-analyse mangler"
        not in verified_client(make_user("bodo2", org("Bodø kommune"))).get("/").content.decode()
    )


def test_the_statsforvalter_start_panel_lists_only_municipalities_with_something_to_follow_up(
    bodo, sf, org
):
    """Bodø has a fresh ROS, every required plan and an exercised overall plan → not listed;
    Narvik has nothing → listed first with every flag; Oslo is not hers."""
    today = timezone.localdate()
    analysis = make_analysis(
        bodo,
        org("Bodø kommune"),
        title="ROS Bodø",
        scope="municipality",
        municipality=Municipality.objects.get(number="1804"),
    )
    make_event(bodo, analysis)
    approve(bodo, analysis, on=today - timedelta(days=30))
    for kind in ("overall", "health_care", "infection"):
        plan = services.create_plan(
            by=bodo,
            owner_org=org("Bodø kommune"),
            title=f"Plan {kind}",
            plan_type=kind,
            approved_on=today - timedelta(days=30),
        )
        if kind == "overall":
            exercise_plan(bodo, plan, today - timedelta(days=60))
    panel = (
        verified_client(sf)
        .get("/")
        .content.decode()
        .split('id="h-muni-status"')[1]
        .split("</section>")[0]
    )
    assert "40 av 41 kommuner har avvik" in panel
    assert "/kommune/1804/" not in panel and "/kommune/1806/" in panel
    assert "Oslo" not in panel
    narvik = panel.split("/kommune/1806/")[1].split("</li>")[0]
    assert "ROS mangler" in narvik and "Mangler: Overordnet beredskapsplan" in narvik
    assert "Kommunene dine" not in verified_client(bodo).get("/").content.decode()
