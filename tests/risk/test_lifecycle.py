"""Council discussion of acceptance criteria, deleting analyses, matrices across chosen
analyses and the export API."""

import json
from datetime import date, timedelta

import pytest
from django.utils import timezone

from beredskap.actors.models import Body, Meeting
from beredskap.core.errors import PermissionDenied
from beredskap.core.models import AuditEvent
from beredskap.planning import services as planning
from beredskap.risk import services
from beredskap.risk.models import RosAnalysis, UndesiredEvent
from tests.factories import make_meeting, make_user, token_for, verified_client
from tests.risk.builders import approve, make_analysis, make_event


@pytest.fixture
def writer(org):
    return make_user("skriver", org("HOD"), role="secretariat", clearance=1)


@pytest.fixture
def sector(writer, org):
    analysis = make_analysis(
        writer, org("HOD"), title="Helhetlig ROS for helsesektoren", classification=1
    )
    make_event(writer, analysis, title="Askøy-type vannforurensning")
    return analysis


def _past(meeting, days=10):
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(days=days))
    return Meeting.objects.get(pk=meeting.pk)


@pytest.fixture
def council_meeting(db):
    return _past(
        make_meeting(
            Body.objects.get(slug="helseberedskapsradet"), title="Rådsmøte om akseptkriterier"
        )
    )


def test_the_council_meeting_that_discussed_the_criteria_is_recorded_and_shown(
    writer, sector, council_meeting
):
    services.record_acceptance_discussion(
        by=writer, analysis=sector, meeting=council_meeting, expected_version=sector.version
    )
    page = verified_client(writer).get(f"/risiko/{sector.pk}/").content.decode()
    assert "Rådsmøte om akseptkriterier" in page
    assert "ikke registrert drøftet" not in page


def test_a_sector_analysis_without_council_discussion_is_flagged(writer, sector):
    page = verified_client(writer).get(f"/risiko/{sector.pk}/").content.decode()
    assert "ikke registrert drøftet i Helseberedskapsrådet" in page


def test_only_a_past_council_meeting_counts_as_discussion(writer, sector, org):
    future = make_meeting(Body.objects.get(slug="helseberedskapsradet"), title="Neste rådsmøte")
    with pytest.raises(Exception, match="ikke funnet sted"):
        services.record_acceptance_discussion(
            by=writer, analysis=sector, meeting=future, expected_version=sector.version
        )
    committee = Body.objects.exclude(kind="council").first()
    other = _past(make_meeting(committee, title="Utvalgsmøte"))
    with pytest.raises(Exception, match="rådet"):
        services.record_acceptance_discussion(
            by=writer, analysis=sector, meeting=other, expected_version=sector.version
        )
    sector.refresh_from_db()
    assert sector.acceptance_meeting is None


def test_a_classified_meeting_the_user_cannot_see_is_refused_and_not_named(writer, sector, org):
    hidden = _past(
        make_meeting(
            Body.objects.get(slug="helseberedskapsradet"),
            title="Hemmelig rådsmøte",
            classification=2,
            owner=org("DSB"),
        )
    )
    with pytest.raises(Exception, match="Ukjent møte"):
        services.record_acceptance_discussion(
            by=writer, analysis=sector, meeting=hidden.pk, expected_version=sector.version
        )


def test_changing_the_criteria_after_the_discussion_clears_it(writer, sector, council_meeting):
    sector = services.record_acceptance_discussion(
        by=writer, analysis=sector, meeting=council_meeting, expected_version=sector.version
    )
    profile = {k: "red" for k in sector.acceptance_profile}
    assert profile != sector.acceptance_profile
    sector = services.update_analysis(
        by=writer, analysis=sector, expected_version=sector.version, acceptance_profile=profile
    )
    assert sector.acceptance_meeting is None
    sector = services.record_acceptance_discussion(
        by=writer, analysis=sector, meeting=council_meeting, expected_version=sector.version
    )
    sector = services.update_analysis(
        by=writer, analysis=sector, expected_version=sector.version, title="Ny tittel"
    )
    assert sector.acceptance_meeting_id == council_meeting.pk


def test_the_council_form_on_the_page_records_the_meeting(writer, sector, council_meeting):
    client = verified_client(writer)
    response = client.post(
        f"/risiko/{sector.pk}/akseptkriterier/radet/",
        {"version": sector.version, "meeting": council_meeting.pk},
    )
    assert response.status_code == 302
    sector.refresh_from_db()
    assert sector.acceptance_meeting_id == council_meeting.pk
    reader = make_user("leser", sector.owner_org, role="reader", clearance=1)
    response = verified_client(reader).post(
        f"/risiko/{sector.pk}/akseptkriterier/radet/", {"version": sector.version, "meeting": ""}
    )
    sector.refresh_from_db()
    assert sector.acceptance_meeting_id == council_meeting.pk


# Deleting


def test_a_draft_is_deleted_with_its_events_and_the_deletion_is_audited(writer, sector):
    event_ids, pk = list(sector.events.values_list("pk", flat=True)), sector.pk
    services.delete_analysis(by=writer, analysis=sector)
    assert not RosAnalysis.objects.filter(pk=pk).exists()
    assert not UndesiredEvent.objects.filter(pk__in=event_ids).exists()
    assert AuditEvent.objects.filter(
        action="delete", model="risk.rosanalysis", object_id=str(pk)
    ).exists()
    assert AuditEvent.objects.filter(action="delete", model="risk.undesiredevent").exists()


def test_a_reader_may_not_delete(sector, org):
    with pytest.raises(PermissionDenied):
        services.delete_analysis(
            by=make_user("leser", org("HOD"), role="reader", clearance=1), analysis=sector
        )
    assert RosAnalysis.objects.filter(pk=sector.pk).exists()


def test_an_approved_analysis_with_a_newer_revision_is_not_deleted_and_the_page_says_why(
    writer, sector
):
    approve(writer, sector)
    revision = services.start_revision(by=writer, analysis=sector)
    with pytest.raises(Exception, match="nyere revisjon"):
        services.delete_analysis(by=writer, analysis=sector)
    client = verified_client(writer)
    page = client.get(f"/risiko/{sector.pk}/slett/").content.decode()
    assert "nyere revisjon (rev. 2)" in page and "Ja, slett" not in page
    assert client.post(f"/risiko/{sector.pk}/slett/").status_code == 400
    assert RosAnalysis.objects.filter(pk=sector.pk).exists()
    # The draft revision itself may go; the approved one is then deletable again.
    services.delete_analysis(by=writer, analysis=revision)
    assert services.deletion_blockers(RosAnalysis.objects.get(pk=sector.pk)) == []


def test_deleting_the_current_revision_makes_the_replaced_one_current_again(writer, sector):
    approve(writer, sector)
    revision = services.start_revision(by=writer, analysis=sector)
    revision = approve(writer, revision, on=date(2025, 1, 1))
    assert RosAnalysis.objects.get(pk=sector.pk).status == "superseded"
    services.delete_analysis(by=writer, analysis=revision)
    assert RosAnalysis.objects.get(pk=sector.pk).status == "approved"


def test_an_analysis_with_a_derived_scenario_is_not_deleted(writer, sector, org):
    planning.derive_scenario(by=writer, event=sector.events.first(), owner_org=org("HOD"))
    with pytest.raises(Exception, match="scenario"):
        services.delete_analysis(by=writer, analysis=sector)
    assert RosAnalysis.objects.filter(pk=sector.pk).exists()


def test_the_delete_page_asks_for_confirmation_then_deletes(writer, sector):
    client = verified_client(writer)
    assert "Slett analysen" in client.get(f"/risiko/{sector.pk}/").content.decode()
    page = client.get(f"/risiko/{sector.pk}/slett/").content.decode()
    assert "Ja, slett" in page and "1 uønskede hendelser" in page
    assert RosAnalysis.objects.filter(pk=sector.pk).exists()
    pk = sector.pk
    response = client.post(f"/risiko/{pk}/slett/")
    assert response.status_code == 302 and not RosAnalysis.objects.filter(pk=pk).exists()


def test_the_delete_button_and_page_are_hidden_from_readers(sector, org):
    client = verified_client(make_user("leser", org("HOD"), role="reader", clearance=1))
    assert "Slett analysen" not in client.get(f"/risiko/{sector.pk}/").content.decode()
    assert client.get(f"/risiko/{sector.pk}/slett/").status_code == 404
    assert client.post(f"/risiko/{sector.pk}/slett/").status_code == 404


# Matrix across chosen analyses


def test_the_sector_view_compares_chosen_analyses_only(writer, sector, org):
    other = make_analysis(
        writer, org("HOD"), title="ROS forsyning", scope="risk_area", risk_area="supply_security"
    )
    make_event(writer, other, title="PPE-markedet kollapser", risk_area="supply_security")
    client = verified_client(writer)
    everything = client.get("/risiko/sektor/").content.decode()
    assert "PPE-markedet kollapser" in everything and "Askøy-type vannforurensning" in everything
    chosen = client.get(f"/risiko/sektor/?analyse={other.pk}").content.decode()
    assert "PPE-markedet kollapser" in chosen and "Askøy-type vannforurensning" not in chosen
    assert "fra de valgte analysene" in chosen


# API


@pytest.fixture
def api(writer):
    client, headers = verified_client(writer), token_for(writer)

    def call(method, path, data=None):
        if data is None:
            return getattr(client, method)(f"/api/v1{path}", **headers)
        return getattr(client, method)(
            f"/api/v1{path}", json.dumps(data), content_type="application/json", **headers
        )

    return call


def test_the_api_records_the_council_discussion(api, sector, council_meeting):
    response = api(
        "post",
        f"/risk/analyses/{sector.pk}/acceptance-discussion",
        {"version": sector.version, "meeting_id": council_meeting.pk},
    )
    assert (
        response.status_code == 200
        and response.json()["acceptance_meeting_id"] == council_meeting.pk
    )
    stale = api(
        "post",
        f"/risk/analyses/{sector.pk}/acceptance-discussion",
        {"version": sector.version, "meeting_id": None},
    )
    assert stale.status_code == 409


def test_the_api_exports_xlsx_and_pdf_and_audits_it(api, sector):
    xlsx = api("get", f"/risk/analyses/{sector.pk}/export?format=xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    pdf = api("get", f"/risk/analyses/{sector.pk}/export?format=pdf")
    assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"
    assert AuditEvent.objects.filter(action="export", model="risk.rosanalysis").count() == 2
    assert api("get", f"/risk/analyses/{sector.pk}/export?format=doc").status_code == 422


def test_the_api_export_is_404_for_an_analysis_the_user_cannot_see(sector, org):
    outsider = make_user("utenfor", org("Bodø kommune"), clearance=1)
    response = verified_client(outsider).get(
        f"/api/v1/risk/analyses/{sector.pk}/export", **token_for(outsider)
    )
    assert response.status_code == 404


def test_the_api_deletes_and_explains_a_refusal(api, writer, sector, org):
    planning.derive_scenario(by=writer, event=sector.events.first(), owner_org=org("HOD"))
    refused = api("delete", f"/risk/analyses/{sector.pk}")
    assert refused.status_code == 400 and "scenario" in json.dumps(refused.json())
    draft = make_analysis(writer, org("HOD"), title="Kladd")
    assert api("delete", f"/risk/analyses/{draft.pk}").status_code == 204
    assert not RosAnalysis.objects.filter(pk=draft.pk).exists()
    assert api("delete", f"/risk/analyses/{draft.pk}").status_code == 404


def test_the_api_sector_matrix_takes_chosen_analyses(api, writer, sector, org):
    other = make_analysis(
        writer, org("HOD"), title="ROS forsyning", scope="risk_area", risk_area="supply_security"
    )
    event = make_event(writer, other, title="PPE-markedet kollapser", risk_area="supply_security")
    cells = api("get", f"/risk/sector-matrix?analysis={other.pk}").json()
    ids = {e for m in cells for c in m["cells"] for e in c["events"]}
    assert ids == {event.pk}
