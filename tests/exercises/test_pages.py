"""Exercise pages: list, plan, calendar, feed, evaluation, learning points, follow-up, start
page."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from beredskap.core.errors import PermissionDenied
from beredskap.exercises import services
from beredskap.exercises.models import Action, Exercise, ExerciseStatus
from tests.exercises.builders import (
    add_point_with_action,
    conducted_with_evaluation,
    make_exercise,
    make_plan,
)
from tests.factories import make_user, verified_client


@pytest.fixture
def lead(org):
    return make_user("utvalgsleder", org("Hdir"), role="reporter", clearance=1)


def test_the_list_searches_and_filters_and_hides_restricted_exercises(lead, org):
    make_exercise(lead, org("Hdir"), title="Intensivkapasitet Sør-Øst", exercise_type="full_scale")
    make_exercise(lead, org("Hdir"), title="Løsepengevirus diskusjon", exercise_type="tabletop")
    cleared = make_user("hdirklarert", org("Hdir"), role="reporter", clearance=1)
    make_exercise(cleared, org("Hdir"), title="Hemmelig sambandsøvelse", classification=1)
    reader = verified_client(make_user("les", org("FHI")))
    page = reader.get("/ovelser/?q=Intensiv").content.decode()
    assert "Intensivkapasitet Sør-Øst" in page and "Løsepengevirus" not in page
    page = reader.get("/ovelser/?exercise_type=tabletop").content.decode()
    assert "Løsepengevirus diskusjon" in page and "Intensivkapasitet" not in page
    assert "Hemmelig sambandsøvelse" not in reader.get("/ovelser/").content.decode()
    plain = make_user("hdirugradert", org("Hdir"), role="reporter")
    assert (
        "Hemmelig sambandsøvelse" not in verified_client(plain).get("/ovelser/").content.decode()
    )  # no clearance
    assert "Hemmelig sambandsøvelse" in verified_client(cleared).get("/ovelser/").content.decode()


def test_the_plan_page_lists_purpose_time_form_and_participants(secretariat_user, org):
    plan = make_plan(secretariat_user, org("HOD"), period_start=2025, period_end=2028)
    exercise = make_exercise(
        secretariat_user,
        org("Hdir"),
        plan=plan,
        title="Arctic REIHN",
        exercise_type="functional",
        purpose="Øve atomberedskap i nord",
        starts_on=date(2026, 5, 4),
        risk_area="nuclear",
    )
    services.add_participant(
        by=secretariat_user, exercise=exercise, kind="nordic", name="Strålsäkerhetsmyndigheten"
    )
    page = verified_client(secretariat_user).get(f"/ovelser/planer/{plan.pk}/").content.decode()
    assert (
        "Arctic REIHN" in page
        and "Øve atomberedskap i nord" in page
        and "Strålsäkerhetsmyndigheten" in page
    )
    missing = page.split('id="unexercised-areas"')[1].split("</ul>")[0]
    assert "Digital sikkerhet" in missing and "Trygg vannforsyning" in missing
    assert "Atomhendelser" not in missing and "Generelt" not in missing


def test_the_calendar_shows_the_month_grid_with_the_exercise_on_its_days(lead, org):
    make_exercise(
        lead,
        org("Hdir"),
        title="Masseskadeøvelse",
        starts_on=date(2026, 3, 10),
        exercise_type="full_scale",
        ends_on=date(2026, 3, 11),
    )
    make_exercise(
        lead, org("Hdir"), title="Aprilseminar", starts_on=date(2026, 4, 2), exercise_type="seminar"
    )
    page = verified_client(lead).get("/ovelser/kalender/?maned=2026-03").content.decode()
    assert page.count("Masseskadeøvelse") == 3  # two grid days + the list
    assert "Aprilseminar" not in page and '<th scope="col">mandag</th>' in page
    fallback = verified_client(lead).get("/ovelser/kalender/?maned=tull")
    assert (
        fallback.status_code == 200 and '<th scope="col">mandag</th>' in fallback.content.decode()
    )
    assert "Traceback" not in fallback.content.decode()


def test_the_feed_is_personal_and_carries_only_visible_exercises(secretariat_user, org, client):
    plan = make_plan(secretariat_user, org("HOD"))
    make_exercise(
        secretariat_user, org("Hdir"), plan=plan, title="Åpen øvelse", starts_on=date(2026, 6, 1)
    )
    make_exercise(
        make_user("hodklarert", org("HOD"), role="secretariat", clearance=1),
        org("Hdir"),
        plan=plan,
        title="Gradert øvelse",
        starts_on=date(2026, 6, 2),
        classification=1,
    )
    reader = make_user("les", org("FHI"))
    url = _feed_path(verified_client(reader), plan)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    events = [str(e["summary"]) for e in Calendar.from_ical(response.content).walk("VEVENT")]
    assert events == ["Åpen øvelse"]
    assert client.get(f"/ovelser/planer/{plan.pk}/kalender.ics?token=forfalsket").status_code == 404
    assert client.get(f"/ovelser/planer/{plan.pk}/kalender.ics").status_code == 404


def test_a_lead_runs_an_exercise_through_evaluation_and_cannot_close_it_while_an_action_is_open(
    lead, org
):
    client = verified_client(lead)
    exercise = make_exercise(lead, org("Hdir"), title="Intensivøvelse")
    client.post(
        f"/ovelser/{exercise.pk}/objective/", {"objective-text": "Øke intensivkapasiteten til 2x"}
    )
    for _step in range(2):
        client.post(
            f"/ovelser/{exercise.pk}/status/",
            {
                "to_status": Exercise.objects.get(pk=exercise.pk).status == "planned"
                and "prepared"
                or "conducted"
            },
        )
    assert Exercise.objects.get(pk=exercise.pk).status == ExerciseStatus.CONDUCTED
    client.post(f"/ovelser/{exercise.pk}/evaluering/")
    client.post(
        f"/ovelser/{exercise.pk}/evaluering/observation/",
        {"observation-kind": "improvement", "observation-text": "Mangel på intensivsykepleiere"},
    )
    client.post(f"/ovelser/{exercise.pk}/evaluering/point/", {"point-title": "Bemanning"})
    point = exercise.evaluation.learning_points.get()
    refused = client.post(
        f"/ovelser/laeringspunkter/{point.pk}/tiltak/",
        {
            "action-title": "Kompetanseløft",
            "action-due_date": (exercise.starts_on - timedelta(days=3)).isoformat(),
            "action-responsible_org": org("Hdir").pk,
        },
        follow=True,
    ).content.decode()
    assert "før øvelsen" in refused and not Action.objects.exists()
    client.post(
        f"/ovelser/laeringspunkter/{point.pk}/tiltak/",
        {
            "action-title": "Kompetanseløft",
            "action-due_date": timezone.localdate().isoformat(),
            "action-responsible_org": org("Hdir").pk,
        },
    )
    page = client.post(f"/ovelser/{exercise.pk}/evaluering/close/", follow=True).content.decode()
    assert (
        "kan ikke lukkes" in page
        and Exercise.objects.get(pk=exercise.pk).status != ExerciseStatus.CLOSED
    )
    action = Action.objects.get()
    client.post(
        f"/ovelser/tiltak/{action.pk}/",
        {"version": action.version, "status": "done", "evidence": "Kurs gjennomført"},
    )
    page = client.post(f"/ovelser/{exercise.pk}/evaluering/close/", follow=True).content.decode()
    assert "Evalueringen og øvelsen er lukket" in page
    assert Exercise.objects.get(pk=exercise.pk).status == ExerciseStatus.CLOSED


def test_an_outsider_cannot_change_an_evaluation(lead, org):
    evaluation = conducted_with_evaluation(lead, org("Hdir"))
    outsider = verified_client(make_user("kommune", org("Bodø kommune"), role="reporter"))
    page = outsider.get(f"/ovelser/{evaluation.exercise_id}/evaluering/").content.decode()
    assert "Nytt læringspunkt" not in page
    outsider.post(
        f"/ovelser/{evaluation.exercise_id}/evaluering/point/", {"point-title": "Innbrudd"}
    )
    assert not evaluation.learning_points.exists()


def test_learning_points_are_searchable_across_exercises(lead, org):
    first = conducted_with_evaluation(lead, org("Hdir"), title="Øvelse A")
    second = conducted_with_evaluation(lead, org("Hdir"), title="Øvelse B")
    services.add_learning_point(
        by=lead, evaluation=first, title="Varsling av kommuner tok for lang tid"
    )
    services.add_learning_point(by=lead, evaluation=second, title="Varsling via Nødnett fungerte")
    services.add_learning_point(by=lead, evaluation=second, title="Forsyning av oksygen")
    page = verified_client(lead).get("/ovelser/laeringspunkter/?q=varsling").content.decode()
    assert "tok for lang tid" in page and "Nødnett fungerte" in page and "oksygen" not in page


def test_overdue_actions_show_on_the_owners_start_page_and_in_the_follow_up_view(
    lead, org, secretariat_user
):
    evaluation = conducted_with_evaluation(lead, org("Hdir"))
    add_point_with_action(
        lead,
        evaluation,
        org("Hdir"),
        due=timezone.localdate() - timedelta(days=5),
        title="Revider varslingsplan",
    )
    add_point_with_action(lead, evaluation, org("Hdir"), title="Ikke forfalt ennå")
    home = verified_client(lead).get("/").content.decode()
    assert "Revider varslingsplan" in home and "Ikke forfalt ennå" not in home
    other = verified_client(make_user("kommune", org("Bodø kommune"))).get("/").content.decode()
    assert "Revider varslingsplan" not in other
    page = verified_client(secretariat_user).get("/ovelser/oppfolging/").content.decode()
    assert (
        "Helsedirektoratet" in page
        and "Revider varslingsplan" in page
        and 'id="trend-data"' in page
    )


def test_the_import_page_reports_rejected_rows_and_saves_nothing(lead, org):
    from tests.exercises.test_api import _xlsx

    header = [
        "Tittel",
        "Øvingsform",
        "Startdato",
        "Sluttdato",
        "Eier",
        "Risikoområde",
        "Hensikt",
        "Sted",
        "Deltakere",
        "Gradering",
    ]
    rows = [
        ["God rad", "drill", "2026-05-01", None, "Hdir", "", "", "", "", ""],
        ["Dårlig rad", "drill", "2026-05-01", None, "Ukjent", "", "", "", "", ""],
    ]
    response = verified_client(lead).post(
        "/ovelser/import/", {"kind": "exercises", "file": _xlsx(header, rows)}, follow=True
    )
    page = response.content.decode()
    assert "Ingenting ble lagret" in page and "Ukjent organisasjon" in page and "Ferdig" in page
    assert not Exercise.objects.exists()


def test_a_stale_edit_of_an_exercise_is_refused_with_a_clear_message(lead, org):
    exercise = make_exercise(lead, org("Hdir"), title="Gammel tittel")
    client = verified_client(lead)
    form = {
        "title": "Ny tittel",
        "exercise_type": "drill",
        "risk_area": "general",
        "classification": 0,
        "starts_on": exercise.starts_on.isoformat(),
        "version": 1,
    }
    assert client.post(f"/ovelser/{exercise.pk}/endre/", form).status_code == 302
    stale = client.post(f"/ovelser/{exercise.pk}/endre/", {**form, "title": "Annen tittel"})
    assert stale.status_code == 409 and "endret av noen andre" in stale.content.decode()
    assert Exercise.objects.get(pk=exercise.pk).title == "Ny tittel"
    outsider = verified_client(make_user("ute", org("FHI"), role="reporter"))
    assert outsider.get(f"/ovelser/{exercise.pk}/endre/").status_code == 404


def test_the_responsible_organisation_reports_its_action_on_the_page_but_cannot_drop_it(lead, org):
    evaluation = conducted_with_evaluation(lead, org("Hdir"))
    action = add_point_with_action(lead, evaluation, org("FHI"), title="FHI sitt tiltak")
    add_point_with_action(lead, evaluation, org("Hdir"), title="Hdir sitt tiltak")
    fhi = verified_client(make_user("fhi", org("FHI"), role="reporter"))
    page = fhi.get(f"/ovelser/{evaluation.exercise_id}/evaluering/").content.decode()
    assert "Oppdater «FHI sitt tiltak»" in page and "Oppdater «Hdir sitt tiltak»" not in page
    assert "Aksepter at tiltaket ikke gjennomføres" not in page
    fhi.post(
        f"/ovelser/tiltak/{action.pk}/",
        {"version": action.version, "status": "done", "evidence": "Rutine vedtatt"},
    )
    assert Action.objects.get(pk=action.pk).status == "done"
    fhi.post(f"/ovelser/tiltak/{action.pk}/", {"version": 2, "accept": "1", "reason": "x"})
    assert Action.objects.get(pk=action.pk).accepted_by is None


def test_a_real_incident_is_registered_by_hand_and_opens_its_evaluation(lead, org):
    client = verified_client(lead)
    response = client.post(
        "/ovelser/hendelse/ny/",
        {
            "title": "Strømbrudd ved sykehus",
            "occurred_on": timezone.localdate().isoformat(),
            "risk_area": "general",
            "owner_org": org("Hdir").pk,
            "classification": 0,
        },
    )
    exercise = Exercise.objects.get(title="Strømbrudd ved sykehus")
    assert response.status_code == 302 and exercise.is_incident and exercise.evaluation
    listed = client.get("/ovelser/?incident=true").content.decode()
    assert "Strømbrudd ved sykehus" in listed
    assert "Strømbrudd ved sykehus" not in client.get("/ovelser/?incident=false").content.decode()
    refused = client.post(
        "/ovelser/hendelse/ny/",
        {
            "title": "Annen",
            "occurred_on": timezone.localdate().isoformat(),
            "risk_area": "general",
            "owner_org": org("FHI").pk,
            "classification": 0,
        },
    )
    assert refused.status_code == 200 and not Exercise.objects.filter(title="Annen").exists()


def _feed_path(client, plan, **extra):
    """Make a calendar link on the plan's feed page and return its path (shown once)."""
    page = client.post(f"/ovelser/planer/{plan.pk}/kalenderlenker/", {"action": "create", **extra})
    return (
        page.content.decode()
        .split('id="feed-url"')[0]
        .rsplit('href="', 1)[1]
        .split('"')[0]
        .replace("&amp;", "&")
        .split("testserver", 1)[1]
    )


def test_the_owner_rotates_the_feed_key_and_the_old_link_stops_working(
    secretariat_user, org, client
):
    plan = make_plan(secretariat_user, org("HOD"))
    make_exercise(
        secretariat_user, org("Hdir"), plan=plan, title="Åpen øvelse", starts_on=date(2026, 6, 1)
    )
    reader = make_user("les", org("FHI"))
    old = _feed_path(verified_client(reader), plan)
    before = client.get(old)
    assert before.status_code == 200 and "Åpen øvelse" in before.content.decode()
    owner = verified_client(secretariat_user)
    assert "Bytt kalendernøkkel" in owner.get(f"/ovelser/planer/{plan.pk}/").content.decode()
    confirm = owner.get(f"/ovelser/planer/{plan.pk}/kalendernokkel/")
    assert confirm.status_code == 200 and "<form" in confirm.content.decode()
    assert plan.title in confirm.content.decode()
    assert owner.post(f"/ovelser/planer/{plan.pk}/kalendernokkel/").status_code == 302
    refused = client.get(old)
    assert refused.status_code == 404 and "Åpen øvelse" not in refused.content.decode()
    fresh = _feed_path(verified_client(reader), plan)
    after = client.get(fresh)
    assert fresh != old and after.status_code == 200 and "Åpen øvelse" in after.content.decode()


def test_only_the_plan_owner_may_rotate_the_feed_key(secretariat_user, org):
    plan = make_plan(secretariat_user, org("HOD"))
    token = plan.feed_token
    for user in (
        make_user("fhiadmin", org("FHI"), role="administrator"),
        make_user("les", org("HOD")),
    ):
        client = verified_client(user)
        assert (
            "Bytt kalendernøkkel" not in client.get(f"/ovelser/planer/{plan.pk}/").content.decode()
        )
        assert client.post(f"/ovelser/planer/{plan.pk}/kalendernokkel/").status_code == 403
        with pytest.raises(PermissionDenied):
            services.rotate_feed_key(by=user, plan=plan)
    plan.refresh_from_db()
    assert plan.feed_token == token
