"""Whether a value meets its target: achieved, not achieved, or no data to say. No Django here."""

from __future__ import annotations

import datetime as dt

ACHIEVED, NOT_ACHIEVED, NO_DATA = "achieved", "not_achieved", "no_data"
STATUSES = (ACHIEVED, NOT_ACHIEVED, NO_DATA)
AT_LEAST, AT_MOST, EXACTLY, BY_DATE = ">=", "<=", "==", "by_date"
COMPARATORS = (AT_LEAST, AT_MOST, EXACTLY, BY_DATE)

# "Exactly 100%" is met by 99.996% as the notices print values to two decimals: half of the last place.
DEFAULT_TOLERANCE = 0.005
# Float noise only: 0.1 + 0.2 must meet a target of 0.3.
_EPSILON = 1e-9


def meets(comparator: str, value: float, target: float, tolerance: float = DEFAULT_TOLERANCE) -> bool:
    """Whether value meets a numeric target: at least, at most, or exactly (within tolerance)."""
    if comparator == AT_LEAST:
        return value >= target - _EPSILON
    if comparator == AT_MOST:
        return value <= target + _EPSILON
    if comparator == EXACTLY:
        return abs(value - target) <= tolerance + _EPSILON
    raise ValueError(f"Not a numeric comparator: {comparator!r}")


def met_by_date(deadline: dt.date, *, done: bool | None, done_on: dt.date | None, as_of: dt.date) -> str:
    """A milestone: done on or before the deadline.

    A date decides. Without one, "done" before the deadline has passed is achieved (it was done in
    time); "not done" after it is not achieved; anything else cannot be told.
    """
    if done_on is not None:
        return ACHIEVED if done_on <= deadline else NOT_ACHIEVED
    if done is True and as_of <= deadline:
        return ACHIEVED
    if done is False and as_of > deadline:
        return NOT_ACHIEVED
    return NO_DATA


def assess(
    comparator: str,
    *,
    target: float | None = None,
    target_date: dt.date | None = None,
    value: float | None = None,
    done: bool | None = None,
    done_on: dt.date | None = None,
    as_of: dt.date | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
) -> str:
    """The status of a value against a target: "achieved", "not_achieved" or "no_data".

    Args:
        comparator: ">=", "<=", "==" or "by_date".
        target: the target value (numeric comparators).
        target_date: the deadline ("by_date").
        value: the observed value.
        done, done_on: the observed milestone ("by_date").
        as_of: today, for a milestone without a date; required for "by_date".
        tolerance: how far from the target "==" still counts as met.
    """
    if comparator not in COMPARATORS:
        raise ValueError(f"Unknown comparator {comparator!r}; expected one of {', '.join(COMPARATORS)}")
    if comparator == BY_DATE:
        if target_date is None:
            return NO_DATA
        if as_of is None:
            raise ValueError("A by-date target is assessed as of a day: pass as_of")
        return met_by_date(target_date, done=done, done_on=done_on, as_of=as_of)
    if value is None or target is None:
        return NO_DATA
    return ACHIEVED if meets(comparator, value, target, tolerance) else NOT_ACHIEVED
