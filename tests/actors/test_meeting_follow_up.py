"""A meeting's follow-up action is closed in the page by its owner or the body's lead, and by no
one else."""

from datetime import timedelta

from django.utils import timezone

from beredskap.actors import services
from beredskap.actors.models import Body, FollowUpAction
from tests.factories import make_meeting, make_user, verified_client


def test_the_owner_closes_a_follow_up_in_the_meeting_page_and_an_outsider_cannot(
    org, secretariat_user
):
    council = Body.objects.get(slug="helseberedskapsradet")
    meeting = make_meeting(council, shared=True)
    action = services.add_follow_up_action(
        by=secretariat_user,
        meeting=meeting,
        title="Statusnotat om beredskapslagre",
        owner_org=org("DMP"),
        due_date=timezone.localdate() + timedelta(days=10),
    )
    dmp = make_user("dmp", org("DMP"), role="reporter")
    page = verified_client(dmp).get(f"/aktorer/moter/{meeting.pk}/").content.decode()
    assert "Lagre status" in page.split('id="follow-ups"')[1].split("</ul>")[0]
    url = f"/aktorer/moter/{meeting.pk}/oppfolging/{action.pk}/status/"
    reader = verified_client(make_user("les", org("FHI")))
    reader.post(url, {"status": "done", "version": action.version})
    assert FollowUpAction.objects.get().status == "open"
    verified_client(dmp).post(url, {"status": "done", "version": action.version})
    assert FollowUpAction.objects.get().status == "done"
    stale = verified_client(dmp).post(url, {"status": "open", "version": 1}, follow=True)
    assert FollowUpAction.objects.get().status == "done"
    assert "Status for" not in stale.content.decode()
