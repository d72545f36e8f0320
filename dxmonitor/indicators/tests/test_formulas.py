"""National figures from agency values: the formulas alone, without a database."""

import datetime as dt

import pytest

from dxmonitor.indicators.formulas import (
    AgencyValue,
    Figure,
    GroupShare,
    national,
    ratio,
    share_breakdown,
    share_of_agencies,
)


def test_a_share_breakdown_reads_as_the_notices_write_it():
    figure = share_breakdown({"central": (6, 30), "province": (29, 63)})
    assert figure.text() == "06/30 bộ, ngành; 29/63 địa phương"
    assert figure.text("en") == "6/30 ministries and sectors; 29/63 provinces"
    assert figure.numerator == 35 and figure.denominator == 93
    assert figure.value == pytest.approx(100 * 35 / 93)
    assert [s.share for s in figure.shares] == [pytest.approx(20.0), pytest.approx(100 * 29 / 63)]


def test_groups_are_listed_central_first_whatever_the_order_given():
    figure = share_breakdown({"province": (29, 63), "central": (6, 30)})
    assert [s.group for s in figure.shares] == ["central", "province"]


def test_a_group_nobody_must_report_in_is_left_out():
    assert share_breakdown({"central": (0, 0), "province": (3, 5)}).text() == "03/5 địa phương"


def test_more_done_than_required_is_refused():
    with pytest.raises(ValueError):
        share_breakdown({"central": (31, 30)})


def test_share_of_agencies_counts_only_required_agencies_that_said_yes():
    values = [
        AgencyValue("BTC", "central", done=True),
        AgencyValue("BCT", "central", done=False),
        AgencyValue("P01", "province", done_on=dt.date(2022, 5, 1)),
        AgencyValue("XYZ", "central", done=True),  # not required: not counted
    ]
    required = {"central": ["BTC", "BCT", "BYT"], "province": ["P01", "P79"]}
    figure = share_of_agencies(values, required)
    assert figure.shares == (GroupShare("central", 1, 3), GroupShare("province", 1, 2))
    assert figure.text() == "01/3 bộ, ngành; 01/2 địa phương"


def test_a_date_after_the_deadline_does_not_count_as_done():
    values = [AgencyValue("P01", "province", done=True, done_on=dt.date(2023, 1, 5))]
    figure = share_of_agencies(values, {"province": ["P01"]}, by=dt.date(2022, 12, 31))
    assert figure.shares[0].done == 0


def test_a_ratio_sums_numerators_and_denominators_before_dividing():
    values = [
        AgencyValue("P01", numerator=1, denominator=10),
        AgencyValue("P79", numerator=90, denominator=90),
        AgencyValue("P31", numerator=5),  # no denominator: left out
    ]
    figure = ratio(values, percent=True)
    assert figure.value == pytest.approx(91.0)  # not the mean of 10% and 100%
    assert (figure.numerator, figure.denominator, figure.agencies) == (91, 100, 2)


def test_a_ratio_of_counts_that_is_not_a_share_is_not_multiplied_by_a_hundred():
    assert national("ratio", [AgencyValue("P01", numerator=3, denominator=2)], unit="lần").value == 1.5


def test_a_ratio_with_no_denominator_has_no_value():
    assert ratio([AgencyValue("P01", numerator=0, denominator=0)], percent=True) == Figure(None)


def test_sum_and_mean_skip_agencies_without_a_value():
    values = [AgencyValue("P01", value=10), AgencyValue("P79", value=20), AgencyValue("P31")]
    assert national("sum", values).value == 30
    assert national("mean", values).value == 15
    assert national("mean", values).agencies == 2


def test_no_values_give_no_figure():
    assert national("sum", []).value is None
    assert national("mean", []).value is None


def test_a_reported_value_stands_as_it_is():
    assert national("value", [AgencyValue("VN", value=40.47)]).value == 40.47


def test_a_reported_value_is_one_value_not_several():
    with pytest.raises(ValueError):
        national("value", [AgencyValue("VN", value=1), AgencyValue("P01", value=2)])


def test_an_unknown_formula_is_refused():
    with pytest.raises(ValueError):
        national("median", [])
