"""Pure rules of the follow-up: when an action is overdue, resolved, and when an evaluation may
close.

Meld. St. 5 (2023–2024) box 2.1 point 8 / 2.2.1: follow-up "shall not be considered finished
until all points in the action plan are satisfactorily followed up". Here that means every
action is done, or formally accepted as not to be done with a reason and who accepted it.
No Django imports, so the rules can be tested exhaustively (hypothesis).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

OPEN_ACTION_STATES = frozenset({"open", "in_progress"})


@dataclass(frozen=True)
class ActionState:
    status: str
    not_done_reason: str = ""
    accepted_by_id: int | None = None


def is_overdue(status: str, due_date: date | None, today: date) -> bool:
    """An open or ongoing action whose due date has passed (the due day itself is not overdue)."""
    return status in OPEN_ACTION_STATES and due_date is not None and due_date < today


def overdue_days(status: str, due_date: date | None, today: date) -> int:
    """How many days an action is overdue (0 when it is not)."""
    return (today - due_date).days if is_overdue(status, due_date, today) and due_date else 0


def is_resolved(action: ActionState) -> bool:
    """Done, or accepted as not to be done with a reason and an accepting person."""
    if action.status == "done":
        return True
    if action.status == "not_done":
        return bool(action.not_done_reason.strip()) and action.accepted_by_id is not None
    return False


def can_close(actions: Iterable[ActionState]) -> bool:
    """An evaluation can close only when every action is resolved."""
    return all(is_resolved(action) for action in actions)


def age_bucket(days_overdue: int) -> str:
    """Age bands for the council's follow-up view."""
    if days_overdue <= 0:
        return "none"
    if days_overdue <= 30:
        return "0-30"
    if days_overdue <= 90:
        return "31-90"
    if days_overdue <= 180:
        return "91-180"
    return "180+"


def overdue_at(due_date: date, created_on: date, resolved_on: date | None, on: date) -> bool:
    """Whether an action was overdue on a past day `on` (for the trend over time)."""
    if created_on > on or due_date >= on:
        return False
    return resolved_on is None or resolved_on > on
