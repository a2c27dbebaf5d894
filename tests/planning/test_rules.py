"""Deadline computations of preparedness plans, as properties."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from beredskap.planning import rules
from beredskap.planning.rules import PlanStatus, PlanType

dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2080, 12, 31))
cycles = st.one_of(st.none(), st.integers(min_value=1, max_value=10))


@given(st.sampled_from(PlanType.values), st.booleans(), cycles)
def test_a_municipal_overall_plan_is_exercised_at_least_every_second_year(
    kind, municipal, configured
):
    cycle = rules.exercise_cycle(kind, municipal_owner=municipal, configured=configured)
    if municipal and kind == PlanType.OVERALL:
        assert cycle is not None and cycle <= 2
    else:
        assert cycle == configured


@given(dates, st.one_of(st.none(), dates), st.integers(min_value=1, max_value=10))
def test_the_exercise_is_due_a_cycle_after_the_last_exercise_or_approval(
    approved, exercised, years
):
    due = rules.next_exercise_due(approved, exercised, years)
    basis = exercised or approved
    assert due.year - basis.year == years and due > basis


@given(dates, st.one_of(st.none(), dates), st.integers(min_value=1, max_value=10))
def test_review_counts_from_the_latest_of_approval_and_review(approved, reviewed, years):
    due = rules.next_review_due(approved, reviewed, years)
    assert due.year - max(d for d in (approved, reviewed) if d).year == years


@given(
    dates,
    st.integers(min_value=-2000, max_value=2000),
    st.integers(min_value=-2000, max_value=2000),
    dates,
)
def test_status_is_overdue_exactly_when_a_deadline_has_passed(
    approved, review_offset, exercise_offset, today
):
    review_due = approved + timedelta(days=abs(review_offset))
    exercise_due = approved + timedelta(days=abs(exercise_offset))
    status = rules.plan_status(
        approved_on=approved, review_due=review_due, exercise_due=exercise_due, today=today
    )
    if review_due < today:
        assert status == PlanStatus.REVIEW_OVERDUE
    elif exercise_due < today:
        assert status == PlanStatus.NOT_EXERCISED
    else:
        assert status == PlanStatus.UP_TO_DATE


def test_an_unapproved_plan_is_not_up_to_date():
    assert (
        rules.plan_status(
            approved_on=None, review_due=None, exercise_due=None, today=date(2025, 1, 1)
        )
        == PlanStatus.DRAFT
    )


def test_the_worst_status_wins_and_nothing_means_missing():
    assert (
        rules.worst([PlanStatus.UP_TO_DATE, PlanStatus.NOT_EXERCISED]) == PlanStatus.NOT_EXERCISED
    )
    assert rules.worst([PlanStatus.MISSING, PlanStatus.REVIEW_OVERDUE]) == PlanStatus.MISSING
    assert rules.worst([]) == PlanStatus.MISSING
