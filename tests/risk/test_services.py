"""Writes to ROS analyses: validation, permissions, approval, revisions, concurrency."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from beredskap.core.errors import PermissionDenied, StaleEdit
from beredskap.risk import services
from beredskap.risk.models import AnalysisStatus, RosAnalysis
from tests.factories import make_user
from tests.risk.builders import approve, make_analysis, make_event


@pytest.fixture
def hod_writer(org):
    return make_user("skriver", org("HOD"), role="secretariat", clearance=1)


def test_a_secretariat_user_builds_and_approves_a_sector_ros(hod_writer, org):
    analysis = make_analysis(hod_writer, org("HOD"))
    make_event(hod_writer, analysis)
    approve(hod_writer, analysis, on=date(2024, 6, 1))
    analysis.refresh_from_db()
    assert analysis.status == AnalysisStatus.APPROVED
    assert analysis.next_revision_due == date(2028, 6, 1)


def test_an_analysis_without_events_cannot_be_approved(hod_writer, org):
    analysis = make_analysis(hod_writer, org("HOD"))
    with pytest.raises(ValidationError, match="uten uønskede hendelser"):
        approve(hod_writer, analysis)


def test_a_reader_cannot_create_an_analysis(org):
    reader = make_user("leser", org("HOD"), role="reader")
    with pytest.raises(PermissionDenied):
        make_analysis(reader, org("HOD"))


def test_nobody_writes_for_an_organisation_they_do_not_belong_to(hod_writer, org):
    with pytest.raises(PermissionDenied):
        make_analysis(hod_writer, org("Bodø kommune"), scope="municipality")


def test_a_reporter_cannot_approve_the_sector_ros(org):
    reporter = make_user("rapp", org("HOD"), role="reporter")
    analysis = make_analysis(reporter, org("HOD"))
    make_event(reporter, analysis)
    with pytest.raises(PermissionDenied):
        approve(reporter, analysis)


@pytest.mark.parametrize("probability", [0, 6, -1])
def test_probability_outside_its_classes_is_refused(hod_writer, org, probability):
    analysis = make_analysis(hod_writer, org("HOD"))
    with pytest.raises(ValidationError):
        make_event(hod_writer, analysis, probability=probability)
    assert not analysis.events.exists()


@pytest.mark.parametrize("level", [0, 6, "4", True])
def test_consequence_outside_its_classes_is_refused(hod_writer, org, level):
    analysis = make_analysis(hod_writer, org("HOD"))
    with pytest.raises(ValidationError, match="1 til 5"):
        services.add_event(
            by=hod_writer,
            analysis=analysis,
            title="X",
            probability=2,
            consequences={"life_health": level},
        )


def test_an_unknown_consequence_type_is_refused(hod_writer, org):
    analysis = make_analysis(hod_writer, org("HOD"))
    with pytest.raises(ValidationError, match="Ukjent konsekvenstype"):
        services.add_event(
            by=hod_writer, analysis=analysis, title="X", probability=2, consequences={"økonomi": 2}
        )


def test_an_intentional_act_may_use_value_threat_vulnerability_instead_of_probability(
    hod_writer, org
):
    analysis = make_analysis(hod_writer, org("HOD"))
    with pytest.raises(ValidationError, match="verdi–trussel–sårbarhet"):
        services.add_event(
            by=hod_writer,
            analysis=analysis,
            title="Løsepengevirus",
            nature="intentional",
            consequences={"stability": 4},
            value_class=4,
            threat_level=3,
        )
    event = services.add_event(
        by=hod_writer,
        analysis=analysis,
        title="Løsepengevirus",
        nature="intentional",
        consequences={"stability": 4},
        value_class=4,
        threat_level=3,
        vulnerability_level=3,
    )
    assert event.security_risk == 3 and event.probability is None


def test_a_revision_date_before_the_approval_date_is_refused(hod_writer, org):
    analysis = make_analysis(hod_writer, org("HOD"), planned_revision_on=date(2024, 1, 1))
    make_event(hod_writer, analysis)
    with pytest.raises(ValidationError, match="før godkjenningsdatoen"):
        approve(hod_writer, analysis, on=date(2024, 6, 1))


def test_a_period_ending_before_it_starts_is_refused(hod_writer, org):
    with pytest.raises(ValidationError, match="slutte før"):
        make_analysis(hod_writer, org("HOD"), period_end=date(2023, 1, 1))


def test_approval_in_the_future_is_refused(hod_writer, org):
    analysis = make_analysis(hod_writer, org("HOD"))
    make_event(hod_writer, analysis)
    with pytest.raises(ValidationError, match="fram i tid"):
        approve(hod_writer, analysis, on=timezone.localdate() + timedelta(days=1))


def test_a_non_monotone_acceptance_profile_is_refused(hod_writer, org):
    from beredskap.risk.classes import default_profile

    profile = default_profile()
    profile["5,5"] = "green"
    with pytest.raises(ValidationError, match="stigende"):
        make_analysis(hod_writer, org("HOD"), acceptance_profile=profile)


def test_a_new_revision_is_a_copy_and_the_old_one_stays_readable_until_superseded(hod_writer, org):
    analysis = make_analysis(hod_writer, org("HOD"))
    event = make_event(hod_writer, analysis)
    services.add_measure(
        by=hod_writer, event=event, title="Nødvannsplan", owner=org("Bodø kommune")
    )
    services.add_vulnerability(by=hod_writer, event=event, description="Én vannkilde")
    approve(hod_writer, analysis)
    revision = services.start_revision(by=hod_writer, analysis=analysis)
    assert revision.revision == 2 and revision.status == AnalysisStatus.DRAFT
    copied = revision.events.get()
    assert copied.title == event.title and copied.pk != event.pk
    assert copied.measures.get().title == "Nødvannsplan" and copied.vulnerabilities.count() == 1
    assert copied.consequence_of("life_health") == 4
    with pytest.raises(ValidationError, match="allerede en ny revisjon"):
        services.start_revision(by=hod_writer, analysis=analysis)
    services.update_event(
        by=hod_writer, event=copied, expected_version=copied.version, title="Endret"
    )
    event.refresh_from_db()
    assert event.title == "Vannforurensning"
    approve(hod_writer, revision, on=timezone.localdate())
    analysis.refresh_from_db()
    assert analysis.status == AnalysisStatus.SUPERSEDED and analysis.events.count() == 1


def test_an_approved_analysis_cannot_be_edited(hod_writer, org):
    analysis = make_analysis(hod_writer, org("HOD"))
    event = make_event(hod_writer, analysis)
    approve(hod_writer, analysis)
    with pytest.raises(ValidationError, match="ny revisjon"):
        services.update_event(
            by=hod_writer, event=event, expected_version=event.version, title="Nei"
        )


def test_two_users_editing_the_same_event_the_second_is_told(hod_writer, org):
    other = make_user("annen", org("HOD"), role="reporter", clearance=1)
    analysis = make_analysis(hod_writer, org("HOD"))
    event = make_event(hod_writer, analysis)
    first_copy = type(event).objects.get(pk=event.pk)
    second_copy = type(event).objects.get(pk=event.pk)
    services.update_event(by=hod_writer, event=first_copy, expected_version=1, title="Første")
    with pytest.raises(StaleEdit):
        services.update_event(by=other, event=second_copy, expected_version=1, title="Andre")
    event.refresh_from_db()
    assert event.title == "Første"


def test_a_measure_without_an_existing_owner_is_refused(hod_writer, org):
    analysis = make_analysis(hod_writer, org("HOD"))
    event = make_event(hod_writer, analysis)
    with pytest.raises(ValidationError, match="ansvarlig"):
        services.add_measure(by=hod_writer, event=event, title="Tiltak", owner=None)


def test_the_measure_owner_may_follow_up_status_after_approval(hod_writer, org):
    analysis = make_analysis(hod_writer, org("HOD"))
    event = make_event(hod_writer, analysis)
    measure = services.add_measure(by=hod_writer, event=event, title="Lager", owner=org("DMP"))
    approve(hod_writer, analysis)
    dmp = make_user("dmp", org("DMP"), role="reporter")
    services.update_measure(
        by=dmp, measure=measure, expected_version=measure.version, status="done"
    )
    measure.refresh_from_db()
    assert measure.status == "done"
    with pytest.raises(ValidationError):
        services.update_measure(
            by=dmp, measure=measure, expected_version=measure.version, title="Nytt navn"
        )


def test_other_analyses_follow_a_configured_cycle(org):
    bodo = make_user("bodo", org("Bodø kommune"), role="administrator")
    from beredskap.core.models import Municipality

    analysis = make_analysis(
        bodo,
        org("Bodø kommune"),
        scope="municipality",
        revision_cycle_years=2,
        municipality=Municipality.objects.get(number="1804"),
    )
    make_event(bodo, analysis)
    approve(bodo, analysis, on=date(2024, 3, 1))
    assert RosAnalysis.objects.get(pk=analysis.pk).next_revision_due == date(2026, 3, 1)
