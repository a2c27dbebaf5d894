"""A meeting's minutes and who was present are written in the meeting page by the body's
managers; only the body's people can be recorded as present; what was typed survives an error."""

from __future__ import annotations

from beredskap.actors.models import Body, BodyMembership
from beredskap.actors.services import attendance_candidates
from tests.factories import make_meeting, make_user, verified_client


def _council_with_member(org):  # type: ignore[no-untyped-def]
    council = Body.objects.get(slug="helseberedskapsradet")
    member = make_user("fhi-direktor", org("FHI"), role="reporter")
    BodyMembership.objects.get_or_create(body=council, organisation=org("FHI"))
    return council, member


def test_the_secretariat_writes_the_minutes_and_who_was_present(org, secretariat_user):
    council, member = _council_with_member(org)
    meeting = make_meeting(council, shared=True)
    assert member.person in attendance_candidates(meeting)
    client = verified_client(secretariat_user)
    answer = client.post(
        f"/aktorer/moter/{meeting.pk}/referat/",
        {
            "minutes-version": meeting.version,
            "minutes-minutes": "Rådet drøftet beredskapslagrene.",
            "minutes-attendees": [member.person.pk],
        },
    )
    assert answer.status_code == 302
    page = client.get(f"/aktorer/moter/{meeting.pk}/").content.decode()
    assert "Rådet drøftet beredskapslagrene." in page.split('id="minutes"')[1]
    assert member.person.name in page.split('id="attendees"')[1].split("</p>")[0]


def test_someone_outside_the_body_cannot_be_recorded_and_the_text_is_kept(org, secretariat_user):
    council, _member = _council_with_member(org)
    meeting = make_meeting(council, shared=True)
    stranger = make_user("fremmed", org("Tromsø kommune"))
    answer = verified_client(secretariat_user).post(
        f"/aktorer/moter/{meeting.pk}/referat/",
        {
            "minutes-version": meeting.version,
            "minutes-minutes": "Utkast til referat",
            "minutes-attendees": [stranger.person.pk],
        },
    )
    assert answer.status_code == 400
    assert "Utkast til referat" in answer.content.decode()
    meeting.refresh_from_db()
    assert meeting.minutes == "" and not meeting.attendees.exists()


def test_a_member_who_does_not_manage_the_body_cannot_write_minutes(org):
    council, member = _council_with_member(org)
    meeting = make_meeting(council, shared=True)
    answer = verified_client(member).post(
        f"/aktorer/moter/{meeting.pk}/referat/",
        {"minutes-version": meeting.version, "minutes-minutes": "Mitt referat"},
    )
    assert answer.status_code in (400, 403, 404)
    meeting.refresh_from_db()
    assert meeting.minutes == ""
    page = verified_client(member).get(f"/aktorer/moter/{meeting.pk}/").content.decode()
    assert "Skriv referat" not in page
