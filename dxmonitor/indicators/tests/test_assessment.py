"""A value against its target: achieved, not achieved, or no data. No database."""

import datetime as dt

import pytest

from dxmonitor.indicators.assessment import ACHIEVED, NO_DATA, NOT_ACHIEVED, assess

TODAY = dt.date(2023, 2, 25)


@pytest.mark.parametrize(
    ("value", "target", "status"),
    [(54.34, 50, ACHIEVED), (80, 80, ACHIEVED), (40.47, 50, NOT_ACHIEVED), (0.1 + 0.2, 0.3, ACHIEVED)],
)
def test_at_least_is_met_by_the_target_itself_and_above(value, target, status):
    assert assess(">=", target=target, value=value) == status


def test_at_most_is_met_by_the_target_itself_and_below():
    assert assess("<=", target=30, value=30) == ACHIEVED
    assert assess("<=", target=30, value=29) == ACHIEVED
    assert assess("<=", target=30, value=31) == NOT_ACHIEVED


def test_exactly_allows_the_rounding_of_the_last_printed_decimal():
    assert assess("==", target=100, value=99.996) == ACHIEVED
    assert assess("==", target=100, value=99.9) == NOT_ACHIEVED
    assert assess("==", target=100, value=99.9, tolerance=0.5) == ACHIEVED


def test_no_value_or_no_target_is_no_data():
    assert assess(">=", target=50, value=None) == NO_DATA
    assert assess(">=", target=None, value=50) == NO_DATA


def test_by_date_is_met_by_a_date_on_or_before_the_deadline():
    deadline = dt.date(2023, 3, 31)
    assert assess("by_date", target_date=deadline, done_on=deadline, as_of=TODAY) == ACHIEVED
    assert assess("by_date", target_date=deadline, done_on=dt.date(2023, 4, 1), as_of=TODAY) == NOT_ACHIEVED


def test_by_date_without_a_date_judges_by_today():
    deadline = dt.date(2023, 3, 31)
    assert assess("by_date", target_date=deadline, done=True, as_of=TODAY) == ACHIEVED
    assert assess("by_date", target_date=deadline, done=False, as_of=TODAY) == NO_DATA
    later = dt.date(2023, 5, 1)
    assert assess("by_date", target_date=deadline, done=False, as_of=later) == NOT_ACHIEVED
    assert assess("by_date", target_date=deadline, done=True, as_of=later) == NO_DATA
    assert assess("by_date", target_date=deadline, as_of=later) == NO_DATA


def test_by_date_needs_today():
    with pytest.raises(ValueError):
        assess("by_date", target_date=dt.date(2023, 3, 31), done=True)


def test_an_unknown_comparator_is_refused():
    with pytest.raises(ValueError):
        assess(">", target=1, value=2)
