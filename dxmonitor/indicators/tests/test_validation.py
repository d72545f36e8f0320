"""The entry rules, each on its own: codes and parameters, no database, no language."""

import datetime as dt

import pytest

from dxmonitor.indicators.validation import (
    DONE,
    RATIO,
    Entry,
    Problem,
    Rules,
    check_date,
    check_jump,
    check_range,
    check_ratio,
    check_required,
    outstanding,
    parse_number,
    validate,
)

TODAY = dt.date(2023, 2, 25)
SHARE = Rules(unit="%")
COUNT = Rules(unit="hồ sơ")


def codes(problems):
    return [(p.field, p.code) for p in problems]


def test_a_value_is_required():
    assert codes(check_required(Entry(), SHARE)) == [("value", "required")]
    assert check_required(Entry(value=0), SHARE) == []


def test_a_ratio_needs_both_counts():
    assert codes(check_required(Entry(numerator=3), Rules(kind=RATIO))) == [("denominator", "required")]


def test_a_share_of_agencies_entry_needs_a_yes_no_or_a_date():
    assert codes(check_required(Entry(), Rules(kind=DONE))) == [("done", "required_done")]
    assert check_required(Entry(done=False), Rules(kind=DONE)) == []
    assert check_required(Entry(done_on=TODAY), Rules(kind=DONE)) == []


def test_a_date_with_not_done_contradicts_itself():
    problems = check_required(Entry(done=False, done_on=TODAY), Rules(kind=DONE))
    assert codes(problems) == [("done_on", "date_without_done")]


def test_a_share_is_between_0_and_100():
    assert codes(check_range(Entry(value=100.5), SHARE)) == [("value", "above_max")]
    assert codes(check_range(Entry(value=-1), SHARE)) == [("value", "below_min")]
    assert check_range(Entry(value=100), SHARE) == [] and check_range(Entry(value=0), SHARE) == []


def test_a_count_is_not_negative_and_has_no_ceiling():
    assert codes(check_range(Entry(value=-3), COUNT)) == [("value", "below_min")]
    assert check_range(Entry(value=46_200_000), COUNT) == []


def test_the_definitions_bounds_override_the_units():
    growth = Rules(unit="%", min_value=-100, max_value=500)
    assert check_range(Entry(value=250), growth) == [] and check_range(Entry(value=-20), growth) == []
    problems = check_range(Entry(value=600), growth)
    assert problems == [Problem("value", "above_max", {"value": 600, "limit": 500, "unit": "%"})]


def test_counts_of_a_ratio_are_not_negative():
    assert codes(check_range(Entry(numerator=-1, denominator=5), Rules(kind=RATIO, unit="%"))) == [
        ("numerator", "negative")
    ]


def test_the_numerator_cannot_exceed_the_denominator():
    problems = check_ratio(Entry(numerator=11, denominator=10), Rules(kind=RATIO, unit="%"))
    assert problems == [
        Problem("numerator", "numerator_above_denominator", {"numerator": 11, "denominator": 10})
    ]
    assert check_ratio(Entry(numerator=10, denominator=10), Rules(kind=RATIO, unit="%")) == []


def test_the_denominator_is_above_zero():
    problems = check_ratio(Entry(numerator=0, denominator=0), Rules(kind=RATIO, unit="%"))
    assert codes(problems) == [("denominator", "denominator_not_positive")]


def test_a_done_date_is_not_in_the_future():
    assert codes(check_date(Entry(done_on=TODAY + dt.timedelta(days=1)), TODAY)) == [
        ("done_on", "future_date")
    ]
    assert check_date(Entry(done_on=TODAY), TODAY) == []


def test_a_share_moving_more_than_20_points_is_a_warning():
    problems = check_jump(Entry(value=75), SHARE, previous=50)
    assert [(p.field, p.code, p.warning) for p in problems] == [("comment", "jump_points", True)]
    assert problems[0].params["change"] == 25
    assert check_jump(Entry(value=70), SHARE, previous=50) == []


def test_a_count_moving_more_than_half_is_a_warning():
    assert codes(check_jump(Entry(value=160), COUNT, previous=100)) == [("comment", "jump_relative")]
    assert codes(check_jump(Entry(value=40), COUNT, previous=100)) == [("comment", "jump_relative")]
    assert check_jump(Entry(value=150), COUNT, previous=100) == []


def test_a_first_count_after_zero_is_not_a_jump():
    assert check_jump(Entry(value=1000), COUNT, previous=0) == []


def test_the_jump_size_is_set_per_indicator():
    assert check_jump(Entry(value=60), Rules(unit="%", jump_points=5), previous=50) != []


def test_a_ratio_jumps_by_its_computed_value():
    rules = Rules(kind=RATIO, unit="%")
    assert codes(check_jump(Entry(numerator=9, denominator=10), rules, previous=40)) == [
        ("comment", "jump_points")
    ]


def test_a_warning_explained_in_a_comment_no_longer_blocks():
    problems = validate(Entry(value=90), SHARE, today=TODAY, previous=40)
    assert outstanding(problems, "") == problems
    assert outstanding(problems, "  ") == problems
    assert outstanding(problems, "Tính cả hồ sơ cấp xã từ năm nay") == []


def test_an_error_blocks_whatever_the_comment():
    problems = validate(Entry(value=190), SHARE, today=TODAY, previous=40)
    assert codes(outstanding(problems, "Chắc chắn đúng")) == [("value", "above_max")]


def test_machine_numbers_that_are_not_finite_are_refused():
    assert codes(validate(Entry(value=float("nan")), SHARE, today=TODAY)) == [("value", "not_a_number")]


def test_a_clean_entry_has_no_problem():
    assert validate(Entry(value=40.47), SHARE, today=TODAY, previous=35) == []


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("40,47", 40.47),
        ("40.47", 40.47),
        ("54,34 %", 54.34),
        ("21.830.518", 21830518),
        ("1.234,5", 1234.5),
        ("1,234.5", 1234.5),
        ("-3", -3),
        (" ", None),
        (None, None),
        (7, 7.0),
    ],
)
def test_numbers_are_read_as_officers_type_them(text, number):
    assert parse_number(text) == number


@pytest.mark.parametrize("text", ["bốn mươi", "40,4,7a", "1e5", "--3"])
def test_text_that_is_not_a_number_is_refused(text):
    with pytest.raises(ValueError):
        parse_number(text)
