import datetime as dt

import pytest

from dxmonitor.core.periods import Period, end_of_month, end_of_quarter

D = dt.date


@pytest.mark.parametrize(
    ("period", "code"),
    [
        (Period("year", 2023), "2023"),
        (Period("half", 2023, 1), "2023-H1"),
        (Period("half", 2023, 2), "2023-H2"),
        (Period("quarter", 2023, 2), "2023-Q2"),
        (Period("month", 2023, 6), "2023-06"),
        (Period("month", 2023, 12), "2023-12"),
    ],
)
def test_it_writes_the_canonical_code(period, code):
    assert period.code == code
    assert str(period) == code


@pytest.mark.parametrize("code", ["2023", "2023-H1", "2023-H2", "2023-Q1", "2023-Q4", "2023-01", "2023-12"])
def test_it_parses_every_canonical_code_back_to_the_same_period(code):
    assert Period.parse(code).code == code


def test_it_parses_a_code_into_kind_year_and_index():
    assert Period.parse("2023-Q2") == Period("quarter", 2023, 2)
    assert Period.parse("2023") == Period("year", 2023, None)
    assert Period.parse(" 2023-06 ") == Period("month", 2023, 6)


@pytest.mark.parametrize(
    "code",
    ["", "23", "2023-Q5", "2023-Q0", "2023-H3", "2023-13", "2023-00", "2023-6", "2023Q1", "2023-q1", "Q1"],
)
def test_it_rejects_a_code_that_is_not_canonical_with_a_clear_message(code):
    with pytest.raises(ValueError, match="Not a period code"):
        Period.parse(code)


def test_it_rejects_a_code_that_is_not_a_string():
    with pytest.raises(ValueError, match="Not a period code"):
        Period.parse(2023)


@pytest.mark.parametrize(
    ("kind", "year", "index"),
    [
        ("week", 2023, 1),
        ("year", 2023, 1),
        ("half", 2023, None),
        ("half", 2023, 3),
        ("quarter", 2023, 0),
        ("quarter", 2023, 5),
        ("month", 2023, 13),
        ("month", 0, 1),
    ],
)
def test_it_refuses_an_impossible_period(kind, year, index):
    with pytest.raises(ValueError):
        Period(kind, year, index)


@pytest.mark.parametrize(
    ("code", "start", "end"),
    [
        ("2023", D(2023, 1, 1), D(2023, 12, 31)),
        ("2023-H1", D(2023, 1, 1), D(2023, 6, 30)),
        ("2023-H2", D(2023, 7, 1), D(2023, 12, 31)),
        ("2023-Q1", D(2023, 1, 1), D(2023, 3, 31)),
        ("2023-Q2", D(2023, 4, 1), D(2023, 6, 30)),
        ("2023-Q3", D(2023, 7, 1), D(2023, 9, 30)),
        ("2023-Q4", D(2023, 10, 1), D(2023, 12, 31)),
        ("2023-06", D(2023, 6, 1), D(2023, 6, 30)),
        ("2023-02", D(2023, 2, 1), D(2023, 2, 28)),
        ("2024-02", D(2024, 2, 1), D(2024, 2, 29)),
    ],
)
def test_it_knows_its_first_and_last_day(code, start, end):
    period = Period.parse(code)
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize(
    ("year", "end"), [(2023, 28), (2024, 29), (1900, 28), (2000, 29), (2100, 28)], ids=str
)
def test_end_of_month_follows_leap_years_in_february(year, end):
    assert end_of_month(year, 2) == D(year, 2, end)


@pytest.mark.parametrize(("month", "day"), [(1, 31), (4, 30), (6, 30), (9, 30), (11, 30), (12, 31)])
def test_end_of_month_gives_the_last_day(month, day):
    assert end_of_month(2023, month) == D(2023, month, day)


@pytest.mark.parametrize(
    ("q", "end"), [(1, D(2024, 3, 31)), (2, D(2024, 6, 30)), (3, D(2024, 9, 30)), (4, D(2024, 12, 31))]
)
def test_end_of_quarter_gives_the_last_day_of_its_third_month(q, end):
    assert end_of_quarter(2024, q) == end


@pytest.mark.parametrize(("helper", "value"), [(end_of_month, 13), (end_of_month, 0), (end_of_quarter, 5)])
def test_the_end_helpers_reject_an_index_out_of_range(helper, value):
    with pytest.raises(ValueError):
        helper(2024, value)


def test_it_contains_its_first_and_last_day_but_not_the_days_around():
    q2 = Period.parse("2024-Q2")
    assert q2.contains(D(2024, 4, 1))
    assert q2.contains(D(2024, 6, 30))
    assert not q2.contains(D(2024, 3, 31))
    assert not q2.contains(D(2024, 7, 1))


def test_it_accepts_a_datetime_in_contains():
    assert Period.parse("2024-06").contains(dt.datetime(2024, 6, 30, 23, 59))


@pytest.mark.parametrize(
    ("code", "previous", "following"),
    [
        ("2024", "2023", "2025"),
        ("2024-H1", "2023-H2", "2024-H2"),
        ("2024-H2", "2024-H1", "2025-H1"),
        ("2024-Q1", "2023-Q4", "2024-Q2"),
        ("2024-Q4", "2024-Q3", "2025-Q1"),
        ("2024-01", "2023-12", "2024-02"),
        ("2024-12", "2024-11", "2025-01"),
    ],
)
def test_it_steps_to_the_previous_and_next_period_across_years(code, previous, following):
    period = Period.parse(code)
    assert period.previous().code == previous
    assert period.next().code == following
    assert period.next().previous() == period


@pytest.mark.parametrize(
    ("kind", "day", "code"),
    [
        ("year", D(2024, 2, 29), "2024"),
        ("half", D(2024, 6, 30), "2024-H1"),
        ("half", D(2024, 7, 1), "2024-H2"),
        ("quarter", D(2024, 3, 31), "2024-Q1"),
        ("quarter", D(2024, 4, 1), "2024-Q2"),
        ("quarter", D(2024, 12, 31), "2024-Q4"),
        ("month", D(2024, 2, 29), "2024-02"),
    ],
)
def test_of_finds_the_period_that_contains_a_day(kind, day, code):
    assert Period.of(kind, day).code == code


def test_of_refuses_an_unknown_kind():
    with pytest.raises(ValueError):
        Period.of("week", D(2024, 1, 1))


def test_it_sorts_by_start_then_end():
    codes = ["2024-Q2", "2024", "2023-12", "2024-H1", "2024-01", "2023"]
    assert [p.code for p in sorted(map(Period.parse, codes))] == [
        "2023",
        "2023-12",
        "2024-01",
        "2024-H1",
        "2024",
        "2024-Q2",
    ]


def test_it_compares_across_kinds():
    assert Period.parse("2023-12") < Period.parse("2024")
    assert Period.parse("2024-Q4") > Period.parse("2024-H1")
    assert Period.parse("2024-Q1") <= Period.parse("2024-Q1")


def test_it_refuses_to_order_against_something_that_is_not_a_period():
    with pytest.raises(TypeError):
        _ = Period.parse("2024") < "2025"
    assert Period.parse("2024") != "2024"


def test_it_is_frozen_and_hashable():
    period = Period.parse("2024-Q1")
    with pytest.raises(AttributeError):
        period.year = 2025
    assert {period, Period("quarter", 2024, 1)} == {period}


@pytest.mark.parametrize(
    ("code", "vi", "en"),
    [
        ("2023", "Năm 2023", "2023"),
        ("2023-H1", "6 tháng đầu năm 2023", "First half of 2023"),
        ("2023-H2", "6 tháng cuối năm 2023", "Second half of 2023"),
        ("2023-Q1", "Quý I/2023", "Q1 2023"),
        ("2023-Q2", "Quý II/2023", "Q2 2023"),
        ("2023-Q3", "Quý III/2023", "Q3 2023"),
        ("2023-Q4", "Quý IV/2023", "Q4 2023"),
        ("2023-06", "Tháng 6/2023", "June 2023"),
        ("2023-12", "Tháng 12/2023", "December 2023"),
    ],
)
def test_it_labels_itself_in_vietnamese_and_english(code, vi, en):
    period = Period.parse(code)
    assert period.label_vi == vi
    assert period.label_en == en
