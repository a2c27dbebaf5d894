"""Bed reports: validation, who may report, the picture with stale flags."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from beredskap.capacity import summary
from beredskap.capacity.models import BedReport
from beredskap.capacity.services import beds
from beredskap.capacity.services.beds import validate_counts
from beredskap.core.errors import PermissionDenied
from tests.capacity.helpers import icu_counts, make_facility, report
from tests.factories import make_user


@pytest.fixture
def nlsh(org):
    return org("Nordlandssykehuset HF")


def test_a_reporter_submits_a_report_for_her_own_hospital(nlsh):
    reporter = make_user("sykehus", nlsh, role="reporter")
    facility = make_facility(nlsh, "Nordlandssykehuset Bodø")
    created = report(reporter, facility, ventilators_total=12, ventilators_in_use=5)
    assert created.owner_org == nlsh and created.counts.get().occupied == 6


def test_a_report_for_a_facility_the_reporter_does_not_belong_to_is_refused(nlsh, org):
    outsider = make_user("ous", org("Oslo universitetssykehus HF"), role="reporter")
    facility = make_facility(nlsh, "Nordlandssykehuset Bodø")
    with pytest.raises(PermissionDenied):
        report(outsider, facility)
    assert not BedReport.objects.exists()


def test_a_reader_of_the_hospital_may_not_report(nlsh):
    reader = make_user("les", nlsh, role="reader")
    with pytest.raises(PermissionDenied):
        report(reader, make_facility(nlsh))


def test_occupied_above_staffed_is_refused_without_a_surge_flag_and_accepted_with_it(nlsh):
    reporter = make_user("sykehus", nlsh, role="reporter")
    facility = make_facility(nlsh)
    with pytest.raises(ValidationError, match="Marker forsterket drift"):
        report(reporter, facility, counts=icu_counts(staffed=10, occupied=12, available=0))
    assert not BedReport.objects.exists()
    report(
        reporter,
        facility,
        counts=icu_counts(staffed=10, occupied=12, available=0),
        surge_active=True,
    )
    assert BedReport.objects.count() == 1


@pytest.mark.parametrize(
    "bad, message",
    [
        ({"staffed": -1}, "negativ"),
        ({"category": "spa"}, "Ukjent sengekategori"),
        ({"surge_24h": 5, "surge_72h": 1}, "72 t"),
        ({"occupied": "mange"}, "heltall"),
    ],
)
def test_impossible_counts_are_refused_with_a_clear_reason(nlsh, bad, message):
    reporter = make_user("sykehus", nlsh, role="reporter")
    row = icu_counts()[0] | bad
    with pytest.raises(ValidationError, match=message):
        report(reporter, make_facility(nlsh), counts=[row])


def test_a_report_in_the_future_and_more_ventilators_in_use_than_exist_are_refused(nlsh):
    reporter = make_user("sykehus", nlsh, role="reporter")
    facility = make_facility(nlsh)
    with pytest.raises(ValidationError, match="fram i tid"):
        report(reporter, facility, hours_ago=-2)
    with pytest.raises(ValidationError, match="Respiratorer"):
        report(reporter, facility, ventilators_total=2, ventilators_in_use=3)


@settings(max_examples=200, deadline=None)
@given(
    staffed=st.integers(0, 50),
    occupied=st.integers(0, 60),
    available=st.integers(0, 60),
    surge=st.booleans(),
)
def test_validation_accepts_exactly_the_counts_that_fit_the_staffed_beds(
    staffed, occupied, available, surge
):
    counts = icu_counts(staffed=staffed, occupied=occupied, available=available)
    fits = surge or occupied + available <= staffed
    try:
        validate_counts(counts, surge_active=surge)
        accepted = True
    except ValidationError:
        accepted = False
    assert accepted == fits


def test_the_picture_sums_latest_reports_and_flags_stale_ones(nlsh, org):
    reporter = make_user("sykehus", nlsh, role="reporter")
    bodo, vesteralen = make_facility(nlsh, "NLSH Bodø"), make_facility(nlsh, "NLSH Vesterålen")
    report(reporter, bodo, hours_ago=30, counts=icu_counts(staffed=8, occupied=8, available=0))
    report(reporter, bodo, hours_ago=2, counts=icu_counts(staffed=10, occupied=6, available=4))
    reader = make_user("les", org("FHI"))
    lines = summary.bed_picture(reader, health_region="H05")
    assert [(line.category, line.staffed, line.occupied, line.stale) for line in lines] == [
        ("icu_vent", 10, 6, False)
    ]
    report(
        reporter, vesteralen, hours_ago=40, counts=icu_counts(staffed=4, occupied=1, available=3)
    )
    line = summary.bed_picture(reader, health_region="H05")[0]
    assert line.staffed == 14 and line.stale is True
    assert summary.bed_picture(reader, health_region="H12") == []


def test_the_picture_leaves_out_reports_the_user_may_not_see(nlsh, org):
    reporter = make_user("sykehus", nlsh, role="reporter")
    report(
        reporter,
        make_facility(nlsh),
        exempt_public=True,
        exempt_legal_basis="offl. § 24 tredje ledd",
    )
    assert summary.bed_picture(make_user("les", org("FHI"))) == []
    assert (
        summary.bed_picture(make_user("rhf", org("Helse Nord RHF")))[0].staffed == 10
    )  # governance line
    assert summary.bed_picture(reporter)[0].staffed == 10


def test_icu_capacity_by_hospital_trust_counts_both_icu_categories_of_the_latest_report(nlsh):
    reporter = make_user("sykehus", nlsh, role="reporter")
    facility = make_facility(nlsh)
    report(reporter, facility, hours_ago=5, counts=icu_counts(staffed=3, occupied=0, available=0))
    report(
        reporter,
        facility,
        hours_ago=1,
        counts=icu_counts(staffed=10)
        + [
            {"category": "icu_novent", "staffed": 5, "occupied": 1, "available": 4},
            {"category": "ward", "staffed": 100, "occupied": 90, "available": 10},
        ],
    )
    assert summary.icu_capacity_by_hospital_trust() == {nlsh.pk: 15}


def test_a_batch_is_all_or_nothing_and_names_every_bad_report(nlsh):
    reporter = make_user("sykehus", nlsh, role="reporter")
    facility = make_facility(nlsh)
    now = timezone.now()
    good = {"facility": facility, "reported_at": now - timedelta(hours=1), "counts": icu_counts()}
    bad = {
        "facility": facility,
        "reported_at": now - timedelta(hours=2),
        "counts": icu_counts(staffed=-3),
    }
    with pytest.raises(
        beds.ImportRejected if hasattr(beds, "ImportRejected") else ValidationError
    ) as info:
        beds.submit_many(by=reporter, reports=[good, bad], source="csv")
    assert [row["row"] for row in info.value.rows] == [f"2: {facility.name}"]
    assert not BedReport.objects.exists()


def _local(day, hour):
    """An aware datetime at ``hour`` o'clock local time on ``day``, never in the future."""
    from datetime import datetime, time

    moment = timezone.make_aware(datetime.combine(day, time(hour)))
    return min(moment, timezone.now() - timedelta(seconds=1))


def _report_at(reporter, facility, at, **counts):
    return beds.submit_bed_report(
        by=reporter, facility=facility, reported_at=at, counts=icu_counts(**counts)
    )


def test_the_icu_history_has_no_dip_on_the_first_day_or_today(nlsh):
    """Bodø reports every day earlier in the day than now, Vesterålen later (so not yet today):
    each of the 30 days sums both, the first day of the window and today included."""
    from datetime import datetime, time

    from beredskap.capacity.queries.beds import history

    reporter = make_user("sykehus", nlsh, role="reporter")
    bodo, vesteralen = make_facility(nlsh, "NLSH Bodø"), make_facility(nlsh, "NLSH Vesterålen")
    now = timezone.localtime()
    today = now.date()
    into_day = now - timezone.make_aware(datetime.combine(today, time.min))
    for back in range(35):
        midnight = timezone.make_aware(datetime.combine(today - timedelta(days=back), time.min))
        _report_at(reporter, bodo, midnight + into_day / 2, staffed=10, occupied=6, available=4)
        later = midnight + into_day + (timedelta(days=1) - into_day) / 2
        if later < timezone.now():
            _report_at(reporter, vesteralen, later, staffed=4, occupied=1, available=3)
    rows = history(reporter, health_region="H05")
    assert [r["day"] for r in rows] == [
        (today - timedelta(days=back)).isoformat() for back in range(29, -1, -1)
    ]
    assert [(r["staffed"], r["occupied"], r["available"]) for r in rows] == [(14, 7, 7)] * 30
    assert [(r["reported"], r["carried"]) for r in rows] == [(2, 0)] * 29 + [(1, 1)]


def test_a_facility_not_yet_reported_today_counts_with_yesterdays_report_but_no_older(nlsh):
    from beredskap.capacity.queries.beds import history

    reporter = make_user("sykehus", nlsh, role="reporter")
    bodo, vesteralen, lofoten = (
        make_facility(nlsh, name) for name in ("NLSH Bodø", "NLSH Vesterålen", "NLSH Lofoten")
    )
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    _report_at(reporter, bodo, _local(yesterday, 8), staffed=10, occupied=6, available=4)
    _report_at(
        reporter, bodo, _local(yesterday, 20), staffed=11, occupied=7, available=4
    )  # the day's last counts
    _report_at(reporter, bodo, _local(today, 0), staffed=12, occupied=8, available=4)
    _report_at(reporter, vesteralen, _local(yesterday, 9), staffed=4, occupied=1, available=3)
    _report_at(
        reporter,
        lofoten,
        _local(today - timedelta(days=3), 9),
        staffed=50,
        occupied=0,
        available=50,
    )
    rows = {r["day"]: r for r in history(reporter, health_region="H05")}
    assert rows[yesterday.isoformat()] == {
        "day": yesterday.isoformat(),
        "staffed": 15,
        "occupied": 8,
        "available": 7,
        "reported": 2,
        "carried": 0,
    }
    assert rows[today.isoformat()] == {
        "day": today.isoformat(),
        "staffed": 16,
        "occupied": 9,
        "available": 7,
        "reported": 1,
        "carried": 1,
    }
    assert (
        rows[(today - timedelta(days=2)).isoformat()]["staffed"] == 50
    )  # Lofoten carried one day only
    assert (today - timedelta(days=4)).isoformat() not in rows  # no report at all: no point


def test_the_icu_history_leaves_out_reports_the_user_may_not_see(nlsh, org):
    from beredskap.capacity.queries.beds import history

    reporter = make_user("sykehus", nlsh, role="reporter")
    facility = make_facility(nlsh)
    _report_at(reporter, facility, _local(timezone.localdate(), 0), staffed=10)
    beds.submit_bed_report(
        by=reporter,
        facility=make_facility(nlsh, "NLSH Skjult"),
        reported_at=_local(timezone.localdate(), 0),
        counts=icu_counts(staffed=30),
        exempt_public=True,
        exempt_legal_basis="offl. § 24 tredje ledd",
    )
    assert [r["staffed"] for r in history(make_user("les", org("FHI")), health_region="H05")] == [
        10
    ]
    assert [r["staffed"] for r in history(reporter, health_region="H05")] == [40]
