"""Risk classification and the next-revision rule, as properties."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from beredskap.risk import classes
from beredskap.risk.classes import Zone

levels = st.integers(min_value=1, max_value=5)
dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))
zones = st.sampled_from([Zone.GREEN, Zone.YELLOW, Zone.RED])


@given(levels, levels)
def test_default_zone_never_gets_milder_when_probability_or_consequence_rises(p, c):
    zone = classes.ZONE_RANK[classes.classify(p, c)]
    if p < 5:
        assert classes.ZONE_RANK[classes.classify(p + 1, c)] >= zone
    if c < 5:
        assert classes.ZONE_RANK[classes.classify(p, c + 1)] >= zone


def test_the_corners_of_the_default_matrix():
    assert classes.classify(1, 1) == Zone.GREEN
    assert classes.classify(5, 5) == Zone.RED
    assert classes.classify(3, 3) == Zone.YELLOW


@given(st.integers(min_value=-3, max_value=9), st.integers(min_value=-3, max_value=9))
def test_classes_outside_one_to_five_are_refused(p, c):
    if p in classes.CLASSES and c in classes.CLASSES:
        classes.classify(p, c)
    else:
        with pytest.raises(ValueError):
            classes.classify(p, c)


@given(
    st.dictionaries(
        st.sampled_from([classes.cell_key(p, c) for p in range(1, 6) for c in range(1, 6)]),
        zones,
        min_size=25,
        max_size=25,
    )
)
def test_a_profile_is_accepted_exactly_when_it_is_monotone(profile):
    monotone = all(
        classes.ZONE_RANK[profile[classes.cell_key(p, c)]]
        <= classes.ZONE_RANK[profile[classes.cell_key(np_, nc)]]
        for p in range(1, 6)
        for c in range(1, 6)
        for np_, nc in ((p + 1, c), (p, c + 1))
        if np_ <= 5 and nc <= 5
    )
    assert (classes.profile_errors(profile) == []) == monotone


def test_a_profile_with_a_missing_cell_is_refused():
    profile = classes.default_profile()
    del profile["3,3"]
    assert "C/3" in classes.profile_errors(profile)[0]


@given(dates)
def test_the_sector_ros_is_due_four_years_after_approval_whatever_the_cycle(approved):
    due = classes.next_revision_due(approved, sector_comprehensive=True, cycle_years=9)
    assert due.year == approved.year + 4
    assert (due.month, due.day) == (approved.month, approved.day) or (
        approved.month,
        approved.day,
    ) == (2, 29)


@given(dates, st.integers(min_value=1, max_value=10))
def test_other_analyses_follow_their_own_cycle(approved, years):
    due = classes.next_revision_due(approved, sector_comprehensive=False, cycle_years=years)
    assert due > approved
    assert due.year == approved.year + years


@given(dates, st.integers(min_value=1, max_value=10), st.integers(min_value=-400, max_value=4000))
def test_a_planned_revision_only_counts_when_it_is_between_approval_and_deadline(
    approved, years, offset
):
    from datetime import timedelta

    planned = approved + timedelta(days=offset)
    deadline = classes.next_revision_due(approved, sector_comprehensive=False, cycle_years=years)
    due = classes.next_revision_due(
        approved, sector_comprehensive=False, cycle_years=years, planned=planned
    )
    assert approved <= due <= deadline
    assert due == (planned if approved <= planned < deadline else deadline)


def test_leap_day_approval_is_due_on_the_28th():
    assert classes.next_revision_due(
        date(2024, 2, 29), sector_comprehensive=True, cycle_years=4
    ) == date(2028, 2, 29)
    assert classes.next_revision_due(
        date(2024, 2, 29), sector_comprehensive=False, cycle_years=1
    ) == date(2025, 2, 28)


def test_no_approval_means_no_revision_date():
    assert classes.next_revision_due(None, sector_comprehensive=True, cycle_years=4) is None
