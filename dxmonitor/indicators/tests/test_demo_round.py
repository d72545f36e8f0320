"""The demo's synthetic reporting rounds: loaded twice without change, marked, and worth looking at."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied

from dxmonitor.agencies.models import AgencyKind
from dxmonitor.core.models import AuditEntry
from dxmonitor.indicators import demo, figures, services
from dxmonitor.indicators.models import Indicator, IndicatorDefinition, Observation, ReportingRound, Target
from dxmonitor.ingest.services import load_samples

# The demo counts from today; the tests pin the day, five days after the third quarter's reports were due.
TODAY = datetime.date(2026, 11, 23)


@pytest.fixture
def loaded(secretariat):
    # On top of the real notices, as the demo does: their indicators are reused, not duplicated.
    load_samples()
    return demo.load_demo_round(secretariat, today=TODAY)


@pytest.fixture
def rounds(loaded):
    past, current = demo.periods(TODAY)
    by_period = {r.period: r for r in ReportingRound.objects.filter(title__endswith=demo.MARK)}
    return [by_period[p.code] for p in past], by_period[current.code]


def test_the_current_round_is_the_quarter_that_ended_last_and_past_ones_start_with_the_34_provinces():
    past, current = demo.periods(TODAY)
    assert ([p.code for p in past], current.code) == (["2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2"], "2026-Q3")
    past, current = demo.periods(datetime.date(2025, 10, 2))
    assert (past, current.code) == ([], "2025-Q3")


def test_loading_it_again_changes_nothing(secretariat, loaded):
    rows, entries = Observation.objects.count(), AuditEntry.objects.count()
    assert demo.load_demo_round(secretariat, today=TODAY) == loaded
    assert (Observation.objects.count(), AuditEntry.objects.count()) == (rows, entries)
    assert (loaded["indicators"], loaded["rounds"], loaded["agencies"]) == (4, 5, 44)


def test_in_the_current_round_hanoi_has_entered_nothing_and_most_provinces_have_reported(rounds):
    _, current = rounds
    assert current.title == "Báo cáo quý III/2026 (dữ liệu minh họa)"
    assert current.due_date == datetime.date(2026, 11, 19)
    report = figures.completeness(current, as_of=TODAY)
    states = {a["code"]: a["state"] for a in report["agencies"]}
    assert states["P01"] == figures.MISSING and figures.LATE in states.values()
    assert not Observation.objects.filter(round=current, agency__code="P01").exists()
    provinces = [a for a in report["agencies"] if a["kind"] == AgencyKind.PROVINCE]
    assert len(provinces) == 34
    assert sum(a["state"] != figures.MISSING for a in provinces) >= 28
    assert 1 < sum(s == figures.MISSING for s in states.values()) < 10
    drafts = Observation.objects.filter(round=current, agency__code="BKHCN")
    assert set(drafts.values_list("state", flat=True)) == {Observation.State.DRAFT}
    returned = Observation.objects.get(round=current, state=Observation.State.RETURNED)
    assert returned.review_comment.endswith("(dữ liệu minh họa).")


def test_every_past_round_has_a_national_figure_for_every_indicator(rounds):
    past, _ = rounds
    assert len(past) == 4
    for round_ in past:
        assert figures.completeness(round_)["total"]["reported_rate"] >= 95
        for indicator in round_.indicators.all():
            figure = figures.national_figure(indicator, round_.period)
            assert figure["source"] == "computed" and figure["value"] is not None, (indicator, round_)


def test_the_plans_share_reads_as_the_notices_write_it(rounds):
    past, _ = rounds
    plans = Indicator.objects.get(code__startswith="MH.KHCDS")
    text = figures.national_figure(plans, past[-1].period)["text"]
    assert re.fullmatch(r"\d\d/10 bộ, ngành; \d\d/34 địa phương", text), text


def test_the_indicators_trend_up_and_meet_or_miss_their_targets(rounds):
    past, _ = rounds
    year = demo.periods(TODAY)[1].year
    statuses = set()
    for indicator in Indicator.objects.filter(rounds__in=past).distinct():
        values = [figures.national_figure(indicator, r.period)["value"] for r in past]
        assert values[-1] > values[0], indicator
        statuses.add(figures.assess(indicator, past[-1].period))
        assert figures.national_target(indicator, str(year)) is not None
    assert statuses == {"achieved", "not_achieved"}


def test_every_synthetic_value_round_target_and_new_indicator_says_so(rounds):
    past, current = rounds
    values = Observation.objects.filter(round__in=[*past, current])
    assert values.count() > 800
    assert set(values.values_list("note", flat=True)) == {demo.SYNTHETIC_NOTE}
    national = Observation.objects.filter(
        agency__code="VN", source="computed", period__in=[r.period for r in [*past, current]]
    )
    assert national.count() == 20
    assert set(national.values_list("note", flat=True)) == {demo.SYNTHETIC_NOTE}
    indicators = Indicator.objects.filter(rounds=current)
    made = indicators.filter(code__startswith="MH.")
    assert made.count() == 2 and all("minh họa" in i.description for i in made)
    for target in Target.objects.filter(indicator__in=indicators, period__startswith="20"):
        if target.period >= "2025":
            assert target.text.endswith(demo.MARK), target
    definitions = IndicatorDefinition.objects.filter(indicator__in=indicators, note__contains=demo.MARK)
    assert definitions.count() == 4


def test_a_catalogue_indicator_gets_a_new_version_and_keeps_its_past_one(loaded):
    online = services.find_indicator("Tỷ lệ hồ sơ thủ tục hành chính được xử lý trực tuyến")
    assert online.code.startswith("2023.") and online.rounds.exists()
    assert services.definition_for(online, "2023").formula == "value"
    assert services.definition_for(online, "2025-Q3").formula == "mean"
    assert services.definition_for(online, "2025-Q3").valid_from == demo.FIRST_DAY


def test_hanoi_enters_submits_and_has_approved_its_values_as_the_browser_test_does(
    reporter, approver, rounds
):
    past, current = rounds
    hanoi = reporter.agency
    for indicator in current.indicators.all():
        # Last quarter's value again, as a person would type it: no jump to explain.
        before = Observation.objects.get(indicator=indicator, agency=hanoi, period=past[-1].period)
        assert before.entered_by == reporter and before.approved_by == approver
        fields = {"value": before.value}
        if before.denominator:
            fields = {"numerator": before.numerator, "denominator": before.denominator}
        elif before.done is not None:
            fields = {"done": before.done, "done_on": before.done_on}
        row = services.record_observation(reporter, indicator, hanoi, current.period, round=current, **fields)
        row = services.submit_observation(reporter, row)
        services.approve_observation(approver, row)
    states = {a["code"]: a["state"] for a in figures.completeness(current)["agencies"]}
    assert states["P01"] in (figures.REPORTED, figures.LATE)


def test_it_refuses_anyone_but_the_secretariat(outsider):
    with pytest.raises(PermissionDenied):
        demo.load_demo_round(outsider, today=TODAY)
    assert not ReportingRound.objects.exists()
