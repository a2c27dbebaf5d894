"""The audit trail under the access rule: auditors see that a change happened, by whom and when,
for every record; its content only with clearance and need to know."""

from __future__ import annotations

import csv
import io

import pytest

from beredskap.actors.models import Body
from beredskap.core.audit import acting_as
from beredskap.risk.models import UndesiredEvent
from tests.factories import make_meeting, make_user, verified_client
from tests.risk.builders import make_analysis

SECRET = "Hemmelig smittevernstrategi"


@pytest.fixture
def secret_meeting(admin_user):  # type: ignore[no-untyped-def]
    council = Body.objects.get(slug="helseberedskapsradet")
    with acting_as(admin_user):
        meeting = make_meeting(council, classification=2, title="Møte om strategi")
        meeting.title = SECRET
        meeting.save()
    return meeting


def _rows(page: str) -> str:
    return page.split("<tbody>")[1].split("</tbody>")[0]


def _csv(client, query: str = "") -> list[list[str]]:  # type: ignore[no-untyped-def]
    response = client.get(f"/revisjon/?format=csv{query}")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def test_an_ugradert_auditor_sees_the_change_and_who_made_it_but_not_its_content(
    auditor, secret_meeting
):
    client = verified_client(auditor)
    rows = _rows(client.get("/revisjon/?record_type=actors.meeting").content.decode())
    assert "admin" in rows and "Møte" in rows and "endret" in rows
    assert "[KONFIDENSIELT – innhold skjult]" in rows
    assert SECRET not in rows and "Møte om strategi" not in rows
    cells = [" ".join(row) for row in _csv(client, "&record_type=actors.meeting")[1:]]
    assert cells and all("[KONFIDENSIELT – innhold skjult]" in c for c in cells)
    assert not any(SECRET in c or "Møte om strategi" in c for c in cells)


def test_a_cleared_auditor_without_need_to_know_does_not_see_the_content_either(
    org, secret_meeting
):
    auditor = make_user("tilsyn2", org("Helsetilsynet"), auditor=True, clearance=2)
    rows = _rows(verified_client(auditor).get("/revisjon/").content.decode())
    assert "[KONFIDENSIELT – innhold skjult]" in rows and SECRET not in rows


def test_a_cleared_auditor_with_need_to_know_sees_each_field_before_and_after(org, secret_meeting):
    auditor = make_user("internrevisor", org("HOD"), auditor=True, clearance=2)
    client = verified_client(auditor)
    rows = _rows(client.get("/revisjon/?record_type=actors.meeting").content.decode())
    assert f"Møte om strategi → {SECRET}" in rows
    assert f'href="/aktorer/moter/{secret_meeting.pk}/"' in rows
    assert "innhold skjult" not in rows
    assert any(SECRET in " ".join(row) for row in _csv(client))


def test_entries_about_a_classified_records_children_are_hidden_with_it(org, admin_user):
    analysis = make_analysis(admin_user, org("HOD"), classification=2, title="Gradert ROS")
    with acting_as(admin_user):
        UndesiredEvent.objects.create(
            analysis=analysis, number=1, title="Angrep på vannverk", risk_area="water"
        )
    auditor = make_user("tilsyn3", org("Helsetilsynet"), auditor=True)
    page = verified_client(auditor).get("/revisjon/?record_type=risk.undesiredevent")
    rows = _rows(page.content.decode())
    assert "Uønsket hendelse" in rows and "[KONFIDENSIELT – innhold skjult]" in rows
    assert "Angrep på vannverk" not in rows


def test_a_search_does_not_reveal_which_hidden_entries_hold_a_word(org, secret_meeting):
    auditor = make_user("tilsyn4", org("Helsetilsynet"), auditor=True)
    page = verified_client(auditor).get("/revisjon/?q=smittevernstrategi").content.decode()
    assert "0 hendelser" in page


def test_the_trail_filters_by_organisation_type_classification_and_person(
    org, admin_user, secret_meeting
):
    council = Body.objects.get(slug="helseberedskapsradet")
    with acting_as(admin_user):
        make_meeting(council, owner=org("FHI"), title="Åpent FHI-møte")
    auditor = make_user("tilsyn5", org("HOD"), auditor=True, clearance=2)
    client = verified_client(auditor)
    fhi = _rows(client.get(f"/revisjon/?organisation={org('FHI').pk}").content.decode())
    assert "Åpent FHI-møte" in fhi and SECRET not in fhi
    graded = _rows(client.get("/revisjon/?classification=2").content.decode())
    assert SECRET in graded and "Åpent FHI-møte" not in graded
    assert "0 hendelser" in client.get("/revisjon/?actor=ingen-slik").content.decode()
    assert SECRET in _rows(client.get("/revisjon/?actor=admin").content.decode())


def test_a_csv_cell_that_starts_like_a_formula_is_defused(org, admin_user):
    council = Body.objects.get(slug="helseberedskapsradet")
    with acting_as(admin_user):
        make_meeting(council, title='=HYPERLINK("http://evil.example")')
    auditor = make_user("tilsyn6", org("Helsetilsynet"), auditor=True)
    cells = [c for row in _csv(verified_client(auditor)) for c in row]
    assert '\'=HYPERLINK("http://evil.example")' in cells
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)


def test_the_audit_page_needs_a_bounded_number_of_queries(
    org, admin_user, django_assert_max_num_queries
):
    council = Body.objects.get(slug="helseberedskapsradet")
    with acting_as(admin_user):
        for n in range(12):
            make_meeting(council, classification=n % 3, title=f"Møte {n}")
    auditor = make_user("tilsyn7", org("HOD"), auditor=True, clearance=2)
    client = verified_client(auditor)
    client.get("/revisjon/")
    with django_assert_max_num_queries(25):
        assert client.get("/revisjon/").status_code == 200
