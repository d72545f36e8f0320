"""The Government Office's four task statuses, as of any date. No Django here.

A task is completed on time, completed late, in progress within its deadline, or in progress past it
(overdue); recurring work with no deadline (thường xuyên) is a fifth case, never overdue.
"""

import datetime
from collections.abc import Iterable
from enum import StrEnum


class Status(StrEnum):
    COMPLETED_ON_TIME = "completed_on_time"
    COMPLETED_LATE = "completed_late"
    IN_PROGRESS = "in_progress"
    OVERDUE = "overdue"
    RECURRING = "recurring"


def deadline_in_force(
    original: datetime.date | None,
    extensions: Iterable[tuple[datetime.date, datetime.date]],
    as_of: datetime.date,
) -> datetime.date | None:
    """The deadline that applied on as_of: the original, moved by each extension approved by then.

    extensions: (approved_on, new_deadline) pairs; the latest approved by as_of wins.
    """
    current, approved_at = original, None
    for approved_on, new_deadline in extensions:
        if approved_on <= as_of and (approved_at is None or approved_on >= approved_at):
            current, approved_at = new_deadline, approved_on
    return current


def status_on(
    deadline: datetime.date | None, completed_on: datetime.date | None, as_of: datetime.date
) -> Status:
    """The task's status on as_of. The deadline day itself is still on time."""
    if completed_on is not None and completed_on <= as_of:
        if deadline is None or completed_on <= deadline:
            return Status.COMPLETED_ON_TIME
        return Status.COMPLETED_LATE
    if deadline is None:
        return Status.RECURRING
    return Status.IN_PROGRESS if as_of <= deadline else Status.OVERDUE


def days_late(
    deadline: datetime.date | None, completed_on: datetime.date | None, as_of: datetime.date
) -> int:
    """Days past the deadline: until completion, or until as_of while still open; 0 when not late."""
    if deadline is None:
        return 0
    end = completed_on if completed_on is not None and completed_on <= as_of else as_of
    return max((end - deadline).days, 0)


def is_stale(
    last_report: datetime.date | None, assigned_on: datetime.date, as_of: datetime.date, days: int, done: bool
) -> bool:
    """Open work with no progress report in the last `days` days (counted from assignment if none yet)."""
    if done:
        return False
    since = last_report if last_report is not None else assigned_on
    return (as_of - since).days > days
