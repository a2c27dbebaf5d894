"""The commitments tracker: progress, status changes with notes, evidence, list filters."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from beredskap.commitments import services
from beredskap.commitments.models import Commitment
from beredskap.core.errors import PermissionDenied
from beredskap.core.models import AuditEvent
from tests.factories import make_user, verified_client


def test_a_status_change_without_a_note_is_refused(commitments, secretariat_user):
    commitment = commitments.get(key="white_paper-1")
    with pytest.raises(ValidationError, match="statusendring må ha et notat"):
        services.add_progress(
            by=secretariat_user, commitment=commitment, text=" ", status="in_progress"
        )
    assert Commitment.objects.get(pk=commitment.pk).status == "not_started"


def test_a_status_change_with_a_note_is_kept_with_date_and_audited(commitments, secretariat_user):
    commitment = commitments.get(key="white_paper-1")
    note = services.add_progress(
        by=secretariat_user, commitment=commitment, text="Arbeid startet", status="in_progress"
    )
    assert (note.status_before, note.status_after) == ("not_started", "in_progress")
    assert note.written_on == timezone.localdate()
    assert AuditEvent.objects.filter(model="commitments.commitment", action="update").exists()
    with pytest.raises(ValidationError, match="fram i tid"):
        services.add_progress(
            by=secretariat_user,
            commitment=commitment,
            text="x",
            written_on=timezone.localdate() + timedelta(days=2),
        )


def test_the_responsible_organisation_reports_progress_and_others_cannot(commitments, org):
    commitment = commitments.get(text__startswith="samle etatsansvaret")
    dmp = make_user("dmp", org("DMP"), role="reporter")
    services.add_progress(
        by=dmp, commitment=commitment, text="DMP etablert 1.1.2024", status="done"
    )
    outsider = make_user("fhi", org("FHI"), role="reporter")
    with pytest.raises(PermissionDenied):
        services.add_progress(
            by=outsider, commitment=commitment, text="Ikke vårt", status="dropped"
        )


def test_the_list_shows_every_commitment_and_filters_by_chapter_area_status_and_organisation(
    commitments, org
):
    client = verified_client(make_user("les", org("FHI")))
    page = client.get("/oppfolging/").content.decode()
    assert "114 forpliktelser" in page and "Ikke startet: 114" in page
    page = client.get("/oppfolging/?chapter=4&risk_area=nuclear").content.decode()
    assert "5 forpliktelser" in page and "strålevernloven" in page and "KommuneCERT" not in page
    dmp = org("DMP").pk
    page = client.get(f"/oppfolging/?organisation={dmp}").content.decode()
    assert "samle etatsansvaret" in page and "KommuneCERT" not in page
    assert "0 forpliktelser" in client.get("/oppfolging/?status=done").content.decode()
    unknown = client.get("/oppfolging/?chapter=tull")
    # an unknown chapter is named as an invalid choice on the page, not a 500
    assert (
        unknown.status_code == 200
        and "tull er ikke et av de tilgjengelige valgene" in unknown.content.decode()
    )


def test_the_secretariat_changes_status_through_the_page_only_with_a_note(
    commitments, secretariat_user
):
    client = verified_client(secretariat_user)
    commitment = commitments.get(key="white_paper-16")
    refused = client.post(
        f"/oppfolging/{commitment.pk}/progress/",
        {"version": 1, "status": "in_progress"},
        follow=True,
    ).content.decode()
    assert "statusendring må ha et notat" in refused
    client.post(
        f"/oppfolging/{commitment.pk}/progress/",
        {"version": 1, "status": "in_progress", "text": "Utvalget er etablert"},
    )
    page = client.get(f"/oppfolging/{commitment.pk}/").content.decode()
    assert "Utvalget er etablert" in page and "Pågår" in page


def test_an_exercise_is_linked_as_evidence_and_hidden_from_those_who_cannot_see_it(
    commitments, secretariat_user, org
):
    from tests.exercises.builders import make_exercise

    secret = make_exercise(
        secretariat_user, org("HOD"), title="Gradert sivil-militær øvelse", classification=1
    )
    make_user("hodklarert", org("HOD"), clearance=1)
    commitment = commitments.get(key="white_paper-16")
    with pytest.raises(ValidationError, match="tilgang"):
        services.link_evidence(by=secretariat_user, commitment=commitment, target=secret)
    open_one = make_exercise(secretariat_user, org("HOD"), title="Åpen sivil-militær øvelse")
    services.link_evidence(
        by=secretariat_user, commitment=commitment, target=open_one, note="Øvd 2025"
    )
    page = (
        verified_client(make_user("les", org("FHI")))
        .get(f"/oppfolging/{commitment.pk}/")
        .content.decode()
    )
    assert "Åpen sivil-militær øvelse" in page and "Gradert" not in page


def test_my_overdue_commitments_show_on_my_start_page(commitments, org):
    hod = make_user("hodleser", org("HOD"), role="reporter")
    page = verified_client(hod).get("/").content.decode()
    assert "Forpliktelser med frist" in page and "interdepartemental" in page
    assert (
        "Forpliktelser med frist"
        not in verified_client(make_user("fhi", org("FHI"))).get("/").content.decode()
    )
