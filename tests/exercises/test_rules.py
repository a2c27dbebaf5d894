"""Property tests for the closing rule and overdue computation (box 2.1 point 8)."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from beredskap.exercises import rules

STATUSES = st.sampled_from(["open", "in_progress", "done", "not_done"])
ACTION = st.builds(
    rules.ActionState,
    status=STATUSES,
    not_done_reason=st.sampled_from(["", "  ", "Dekket av ny plan"]),
    accepted_by_id=st.one_of(st.none(), st.integers(1, 5)),
)
DATES = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))


@given(st.lists(ACTION, max_size=12))
def test_an_evaluation_closes_exactly_when_every_action_is_done_or_accepted_with_reason(actions):
    expected = all(
        a.status == "done"
        or (a.status == "not_done" and a.not_done_reason.strip() and a.accepted_by_id)
        for a in actions
    )
    assert rules.can_close(actions) == expected


@given(st.lists(ACTION, min_size=1, max_size=8), st.sampled_from(["open", "in_progress"]))
def test_one_open_action_always_blocks_closing(actions, status):
    assert not rules.can_close([*actions, rules.ActionState(status)])


@given(st.text(max_size=5).filter(lambda s: not s.strip()), st.one_of(st.none(), st.integers(1, 3)))
def test_not_to_be_done_without_reason_or_acceptor_blocks(reason, acceptor):
    assert not rules.is_resolved(rules.ActionState("not_done", reason, acceptor))
    assert not rules.is_resolved(rules.ActionState("not_done", "Begrunnet", None))


@given(STATUSES, DATES, DATES)
def test_overdue_means_open_and_past_due(status, due, today):
    overdue = rules.is_overdue(status, due, today)
    assert overdue == (status in {"open", "in_progress"} and due < today)
    assert rules.overdue_days(status, due, today) == ((today - due).days if overdue else 0)
    assert rules.overdue_days(status, due, today) >= 0


@given(DATES)
def test_the_due_day_itself_is_not_overdue_but_the_next_day_is(due):
    assert not rules.is_overdue("open", due, due)
    assert rules.is_overdue("open", due, due + timedelta(days=1))


@given(DATES, DATES, st.one_of(st.none(), DATES), DATES)
def test_overdue_at_a_past_day_agrees_with_overdue_when_still_open(due, created, resolved, on):
    result = rules.overdue_at(due, created, resolved, on)
    if result:
        assert due < on and created <= on and (resolved is None or resolved > on)
    if resolved is None and created <= on:
        assert result == rules.is_overdue("open", due, on)


@given(st.integers(-5, 2000))
def test_age_buckets_cover_every_overdue_day(days):
    bucket = rules.age_bucket(days)
    assert (bucket == "none") == (days <= 0)


@given(
    st.lists(
        st.tuples(DATES, st.integers(0, 400), st.one_of(st.none(), st.integers(0, 400))),
        max_size=10,
    ),
    DATES,
)
def test_the_number_overdue_on_a_day_never_exceeds_the_actions_created_by_then(rows, on):
    actions = [
        (due, due - timedelta(days=created_before), None if r is None else due + timedelta(days=r))
        for due, created_before, r in rows
    ]
    overdue = sum(
        rules.overdue_at(due, created, resolved, on) for due, created, resolved in actions
    )
    assert 0 <= overdue <= sum(created <= on for _d, created, _r in actions)
