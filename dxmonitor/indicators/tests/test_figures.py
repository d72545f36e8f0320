"""National figures from approved agency values, versioned definitions, stored figures, targets and
reporting completeness."""

import datetime

import pytest
from django.utils import timezone

from dxmonitor.agencies.models import CENTRAL_KINDS, Agency
from dxmonitor.core import audit
from dxmonitor.indicators import services
from dxmonitor.indicators.figures import (
    assess,
    completeness,
    indicator_series,
    national_figure,
    recompute_national_figures,
    required_agencies,
)
from dxmonitor.indicators.models import Observation
from dxmonitor.indicators.tests.factories import approved, indicator

END_2022 = datetime.date(2022, 12, 31)


@pytest.fixture
def nation(registry):
    return Agency.objects.get(code="VN")


@pytest.fixture
def caobang(registry):
    # A province that kept its borders in 2025, so it reports for any year (P79 is the city since July 2025).
    return Agency.objects.get(code="P04")


def test_a_share_of_agencies_round_gives_the_notices_06_30_and_29_63(secretariat, registry):
    central = list(Agency.objects.valid_on(END_2022).filter(kind__in=CENTRAL_KINDS).order_by("code"))
    provinces = list(Agency.objects.valid_on(END_2022).filter(kind="province").order_by("code"))
    assert (len(central), len(provinces)) == (30, 63)
    plans = indicator(
        formula="share_of_agencies", name="Tỷ lệ bộ, ngành, địa phương ban hành kế hoạch chuyển đổi số"
    )
    round_ = services.open_round(
        secretariat,
        title="Kế hoạch chuyển đổi số năm 2023 (số liệu tổng hợp, giả lập)",
        period="2022",
        due_date=datetime.date(2023, 1, 31),
        indicators=[plans],
        agencies=central + provinces,
    )
    for n, agency in enumerate(central + provinces):
        done = n < 6 or 30 <= n < 30 + 29
        values = {"done": True, "done_on": datetime.date(2022, 12, 1)} if done else {"done": False}
        approved(secretariat, plans, agency, "2022", round=round_, **values)
    figure = national_figure(plans, "2022")
    assert figure["text"] == "06/30 bộ, ngành; 29/63 địa phương"
    assert [(s["group"], s["done"], s["required"]) for s in figure["shares"]] == [
        ("central", 6, 30),
        ("province", 29, 63),
    ]
    assert figure["value"] == pytest.approx(100 * 35 / 93)
    assert (figure["source"], figure["agencies"]) == ("computed", 93)


def test_without_a_round_a_share_counts_every_ministry_and_province_of_the_time(nation):
    plans = indicator(formula="share_of_agencies")
    required = required_agencies(plans, "2022", services.definition_for(plans, "2022"))
    assert (len(required["central"]), len(required["province"])) == (30, 63)
    after_merger = required_agencies(plans, "2025-12", services.definition_for(plans, "2025-12"))
    assert len(after_merger["province"]) == 34


def test_an_agency_that_did_not_report_did_not_do_it(secretariat, hanoi, caobang):
    plans = indicator(formula="share_of_agencies", params={"groups": ["province"]})
    services.open_round(
        secretariat,
        title="Vòng thử",
        period="2023",
        due_date=datetime.date(2024, 1, 15),
        indicators=[plans],
        agencies=[hanoi, caobang],
    )
    approved(secretariat, plans, hanoi, "2023", done=True)
    assert national_figure(plans, "2023")["text"] == "01/2 địa phương"


def test_a_ratio_is_computed_from_approved_values_only(secretariat, reporter, hanoi, caobang):
    online = indicator(formula="ratio")
    approved(secretariat, online, hanoi, "2023", numerator=30, denominator=100)
    approved(secretariat, online, caobang, "2023", numerator=70, denominator=100)
    services.record_observation(
        secretariat, online, Agency.objects.get(code="P31-63"), "2023", numerator=0, denominator=50
    )
    figure = national_figure(online, "2023")
    assert (figure["value"], figure["numerator"], figure["denominator"]) == (50, 100, 200)
    assert figure["agencies"] == 2


def test_an_imported_national_value_stands_until_agencies_report(secretariat, nation, hanoi):
    online = indicator(formula="ratio")
    Observation.objects.create(
        indicator=online,
        agency=nation,
        period="2022",
        period_kind="year",
        period_start=datetime.date(2022, 1, 1),
        period_end=END_2022,
        source="imported",
        state="approved",
        value=54.34,
        text="54,34%",
        note="Năm 2022 chưa đo được “xử lý”.",
    )
    figure = national_figure(online, "2022")
    assert (figure["value"], figure["source"], figure["note"]) == (
        54.34,
        "imported",
        "Năm 2022 chưa đo được “xử lý”.",
    )
    approved(secretariat, online, hanoi, "2022", numerator=1, denominator=4)
    assert national_figure(online, "2022")["source"] == "computed"
    assert national_figure(online, "2022")["value"] == 25


def test_the_nations_reported_value_comes_before_an_imported_one(secretariat, nation):
    fibre = indicator()
    Observation.objects.create(
        indicator=fibre,
        agency=nation,
        period="2023",
        period_kind="year",
        period_start=datetime.date(2023, 1, 1),
        period_end=datetime.date(2023, 12, 31),
        source="forecast",
        state="approved",
        value=79,
    )
    assert national_figure(fibre, "2023")["source"] == "forecast"
    approved(secretariat, fibre, nation, "2023", value=80.2)
    assert (national_figure(fibre, "2023")["source"], national_figure(fibre, "2023")["value"]) == (
        "reported",
        80.2,
    )


def test_a_new_definition_does_not_change_a_past_figure(secretariat, hanoi, caobang):
    budget = indicator(unit="tỷ đồng", formula="sum")
    for period, (a, b) in {"2023": (10, 30), "2024": (20, 40)}.items():
        approved(secretariat, budget, hanoi, period, value=a, comment="Số liệu thử")
        approved(secretariat, budget, caobang, period, value=b, comment="Số liệu thử")
    before = national_figure(budget, "2023")
    services.define_indicator(secretariat, budget, formula="mean", valid_from=datetime.date(2024, 1, 1))
    after = national_figure(budget, "2023")
    assert after == before and (after["value"], after["definition_version"]) == (40, 1)
    assert (
        national_figure(budget, "2024")["value"],
        national_figure(budget, "2024")["definition_version"],
    ) == (30, 2)


def test_a_new_definition_cannot_start_before_the_last_one(secretariat):
    budget = indicator(formula="sum")
    services.define_indicator(secretariat, budget, formula="mean", valid_from=datetime.date(2024, 1, 1))
    with pytest.raises(services.ValidationError) as caught:
        services.define_indicator(secretariat, budget, formula="sum", valid_from=datetime.date(2023, 1, 1))
    assert "valid_from" in caught.value.message_dict


def test_only_the_secretariat_changes_a_definition(reporter, registry):
    with pytest.raises(services.PermissionDenied):
        services.define_indicator(reporter, indicator(), formula="sum")


def test_recomputing_writes_each_national_figure_once_and_audits_it(secretariat, nation, hanoi, caobang):
    budget = indicator(unit="tỷ đồng", formula="sum")
    approved(secretariat, budget, hanoi, "2023", value=10)
    approved(secretariat, budget, caobang, "2023", value=30)
    assert recompute_national_figures()["unchanged"] == 1  # approving already wrote it
    stored = Observation.objects.get(agency=nation, source="computed")
    assert (stored.value, stored.state, stored.period) == (40, "approved", "2023")
    Observation.objects.filter(pk=stored.pk).delete()
    assert recompute_national_figures("2023") == {"created": 1, "updated": 0, "deleted": 0, "unchanged": 0}
    assert recompute_national_figures() == {"created": 0, "updated": 0, "deleted": 0, "unchanged": 1}
    stored = Observation.objects.get(agency=nation, source="computed")
    assert audit.history(stored)[0].after["value"] == 40


def test_a_recomputation_counts_a_rounds_agencies_and_otherwise_every_agency_of_the_time(
    secretariat, nation, hanoi, caobang
):
    plans = indicator(formula="share_of_agencies", params={"groups": ["province"]})
    services.open_round(
        secretariat,
        title="Vòng thử",
        period="2023",
        due_date=datetime.date(2024, 1, 15),
        indicators=[plans],
        agencies=[hanoi, caobang],
    )
    for period in ("2023", "2024"):
        approved(secretariat, plans, hanoi, period, done=True)
    Observation.objects.filter(agency=nation).delete()  # as before the first recomputation
    assert recompute_national_figures()["created"] == 2
    stored = Observation.objects.filter(agency=nation, source="computed")
    assert dict(stored.values_list("period", "text")) == {
        "2023": "01/2 địa phương",
        "2024": "01/63 địa phương",
    }
    stored.filter(period="2023").update(value=0, text="00/2 địa phương")
    assert recompute_national_figures() == {"created": 0, "updated": 1, "deleted": 0, "unchanged": 1}
    fixed = stored.get(period="2023")
    assert (fixed.value, fixed.text, fixed.version) == (50, "01/2 địa phương", 2)
    assert audit.history(fixed)[0].before["text"] == "00/2 địa phương"


def test_approving_and_reopening_move_the_stored_national_figure(
    secretariat, approver, reporter, nation, hanoi, caobang
):
    budget = indicator(unit="tỷ đồng", formula="sum")
    approved(secretariat, budget, caobang, "2023", value=30)
    draft = services.submit_observation(
        reporter, services.record_observation(reporter, budget, hanoi, "2023", value=10)
    )
    assert Observation.objects.get(agency=nation, source="computed").value == 30
    services.approve_observation(approver, draft)
    assert Observation.objects.get(agency=nation, source="computed").value == 40
    only = Observation.objects.get(agency=caobang)
    services.reopen_observation(secretariat, only, "Sai đơn vị")
    services.reopen_observation(
        approver, Observation.objects.get(agency=hanoi, source="reported"), "Sai đơn vị"
    )
    assert not Observation.objects.filter(agency=nation, source="computed").exists()
    assert national_figure(budget, "2023")["value"] is None


def test_the_status_is_judged_against_the_national_target(secretariat, nation):
    reports = indicator(name="Tỷ lệ báo cáo của cơ quan nhà nước được thực hiện trực tuyến")
    assert assess(reports, "2022") == "no_data"
    services.set_target(secretariat, reports, "2022", value=50, text="50%")
    assert assess(reports, "2022") == "no_data"
    approved(secretariat, reports, nation, "2022", value=40.47)
    assert assess(reports, "2022") == "not_achieved"
    services.set_target(secretariat, reports, "2022", value=40)
    assert assess(reports, "2022") == "achieved"


def test_a_milestone_is_achieved_by_its_date(secretariat, nation):
    law = indicator(unit="", name="Trình ban hành Luật Căn cước công dân sửa đổi")
    services.set_target(
        secretariat, law, "2023", comparator="by_date", value_date=datetime.date(2023, 12, 31)
    )
    approved(secretariat, law, nation, "2023", done_on=datetime.date(2023, 6, 27))
    assert assess(law, "2023") == "achieved"


def test_the_series_carries_targets_sources_and_statuses_in_period_order(secretariat, nation):
    fibre = indicator()
    services.set_target(secretariat, fibre, "2023", value=85)
    services.set_target(secretariat, fibre, "2022", value=75)
    approved(secretariat, fibre, nation, "2022", value=75, note="Số liệu ước tính")
    series = indicator_series(fibre)
    assert [(r["period"], r["value"], r["target"], r["status"], r["note"]) for r in series] == [
        ("2022", 75, 75, "achieved", "Số liệu ước tính"),
        ("2023", None, 85, "no_data", ""),
    ]


def test_completeness_tells_who_reported_on_time_late_or_not_at_all(secretariat, hanoi, caobang):
    fibre, online = indicator(), indicator()
    ministry = Agency.objects.get(code="BTC")
    today = timezone.localdate()
    round_ = services.open_round(
        secretariat,
        title="Báo cáo quý",
        period="2023-Q1",
        due_date=today,
        indicators=[fibre, online],
        agencies=[hanoi, caobang, ministry],
    )
    for agency in (hanoi, caobang):
        for item in (fibre, online):
            services.submit_observation(
                secretariat, services.record_observation(secretariat, item, agency, "2023-Q1", value=50)
            )
    Observation.objects.filter(agency=caobang, indicator=online).update(
        submitted_at=timezone.now() + datetime.timedelta(days=1)
    )
    services.record_observation(secretariat, fibre, ministry, "2023-Q1", value=50)  # a draft is not a report
    data = completeness(round_)
    states = {a["code"]: (a["state"], a["submitted"]) for a in data["agencies"]}
    assert states == {"P01": ("reported", 2), "P04": ("late", 2), "BTC": ("missing", 0)}
    groups = {g["group"]: g for g in data["groups"]}
    assert (groups["central"]["missing"], groups["central"]["reported_rate"]) == (1, 0)
    assert (groups["province"]["reported_rate"], groups["province"]["on_time_rate"]) == (100, 50)
    assert data["total"]["reported_rate"] == pytest.approx(200 / 3)
    assert data["due_passed"] is False


def test_a_figure_made_from_agency_values_carries_their_note_when_they_all_share_it(
    secretariat, hanoi, caobang
):
    share = indicator(unit="%", formula="mean")
    approved(secretariat, share, hanoi, "2024", value=40, note="Dữ liệu minh họa (synthetic)")
    approved(secretariat, share, caobang, "2024", value=60, note="Dữ liệu minh họa (synthetic)")
    figure = national_figure(share, "2024")
    assert (figure["value"], figure["note"]) == (50.0, "Dữ liệu minh họa (synthetic)")
    other = indicator(unit="%", formula="mean")
    approved(secretariat, other, hanoi, "2024", value=40, note="Số liệu ước tính")
    approved(secretariat, other, caobang, "2024", value=60)
    assert national_figure(other, "2024")["note"] == "", "notes that differ are not made one"


def test_completeness_of_several_rounds_is_each_rounds_own_in_four_queries(secretariat, hanoi, caobang):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dxmonitor.indicators.figures import completeness_of

    fibre, online = indicator(), indicator()
    today = timezone.localdate()

    def round_(period, indicators, agencies):
        return services.open_round(
            secretariat, title=period, period=period, due_date=today, indicators=indicators, agencies=agencies
        )

    first = round_("2023-Q1", [fibre, online], [hanoi, caobang])
    second = round_("2023-Q2", [fibre], [hanoi])
    for period in ("2023-Q1", "2023-Q2"):
        services.submit_observation(
            secretariat, services.record_observation(secretariat, fibre, hanoi, period, value=50)
        )
    with CaptureQueriesContext(connection) as queries:
        both = completeness_of([first, second], as_of=today)
    assert len(queries) == 4
    assert both == {first.pk: completeness(first, as_of=today), second.pk: completeness(second, as_of=today)}
    # Hà Nội's Q2 value does not count for Q1, where it still owes the other indicator.
    assert [(a["code"], a["state"], a["submitted"]) for a in both[first.pk]["agencies"]] == [
        ("P01", "missing", 1),
        ("P04", "missing", 0),
    ]
    assert [(a["code"], a["state"], a["submitted"]) for a in both[second.pk]["agencies"]] == [
        ("P01", "reported", 1)
    ]
