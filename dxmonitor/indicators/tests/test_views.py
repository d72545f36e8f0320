"""Indicator pages and their JSON twins: catalogue, one indicator, classification, rounds, the agency's
form (errors per field, nothing invalid kept, conflicts), the approver's queue, and the outsider."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from dxmonitor.agencies.models import Agency
from dxmonitor.core import audit
from dxmonitor.indicators import services
from dxmonitor.indicators.models import Observation
from dxmonitor.indicators.tests.factories import approved, indicator


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def setup(registry, secretariat, hanoi, hcmc):
    share = indicator(unit="%", formula="mean", name="Tỷ lệ hồ sơ trực tuyến")
    ratio = indicator(unit="%", formula="ratio", name="Tỷ lệ thủ tục toàn trình")
    services.set_target(secretariat, share, "2026-Q3", value=60)
    round_ = services.open_round(
        secretariat,
        title="Báo cáo quý III/2026",
        period="2026-Q3",
        due_date=datetime.date(2026, 10, 15),
        indicators=[share, ratio],
        agencies=[hanoi, hcmc],
    )
    return share, ratio, round_


def client_for(client, user):
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def form_post(client, round_, data, action="submit", agency=""):
    payload = {"action": action, **data}
    url = reverse("round-form", args=[round_.pk]) + (f"?agency={agency}" if agency else "")
    return client.post(url, payload)


def test_the_catalogue_lists_indicators_with_their_latest_national_value(
    client, setup, secretariat, approver
):
    share, ratio, _ = setup
    approved(secretariat, share, Agency.objects.get(code="P01"), "2026-Q3", value=50)
    client_for(client, approver)
    page = client.get(reverse("indicator-index"))
    assert page.status_code == 200
    assert share.name in page.content.decode() and ratio.name in page.content.decode()
    data = client.get(reverse("indicator-index-json")).json()
    row = next(i for i in data["indicators"] if i["code"] == share.code)
    assert row["latest"]["period"] == "2026-Q3" and row["latest"]["value"] == 50


def test_the_indicator_page_shows_the_chart_spec_figures_agencies_and_history(
    client, setup, secretariat, hanoi, hcmc
):
    share, _, _ = setup
    approved(secretariat, share, hanoi, "2026-Q3", value=50)
    approved(secretariat, share, hcmc, "2026-Q3", value=70, note="Số liệu ước tính")
    client_for(client, secretariat)
    page = client.get(reverse("indicator-detail", args=[share.code]))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="chart-spec"' in html and reverse("vega-script") in html
    spec = page.context["spec"]
    assert [(v["period"], v["value"], v["target"]) for v in spec["data"]["values"]] == [
        ("Q3 2026", 60.0, 60.0)
    ]
    assert [r["observation"].agency.code for r in page.context["ranking"]] == ["P79", "P01"]
    assert "Số liệu ước tính" in html
    history = page.context["history"]
    assert {h["of"] for h in history} >= {"Thành phố Hà Nội · 2026-Q3", "Thành phố Hồ Chí Minh · 2026-Q3"}
    assert any(h["changes"] == [("State", "Submitted", "Approved")] for h in history)
    data = client.get(reverse("indicator-detail-json", args=[share.code])).json()
    assert data["figures"][0]["value"] == 60.0 and data["figures"][0]["status"] == "achieved"
    assert {v["agency"] for v in data["values"]} == {"P01", "P79"}


def test_an_agency_sees_only_its_own_values_on_the_indicator_page(
    client, setup, secretariat, hanoi, hcmc, reporter
):
    share, _, _ = setup
    approved(secretariat, share, hanoi, "2026-Q3", value=50)
    approved(secretariat, share, hcmc, "2026-Q3", value=70)
    client_for(client, reporter)
    data = client.get(reverse("indicator-detail-json", args=[share.code])).json()
    assert {v["agency"] for v in data["values"]} == {"P01"}
    assert data["ranking"] == []
    # The national figure is public to every signed-in user.
    assert data["figures"][0]["value"] == 60.0


def test_the_chart_is_also_an_svg_and_the_script_is_served_locally(client, setup, secretariat, hanoi):
    share, _, _ = setup
    approved(secretariat, share, hanoi, "2026-Q3", value=50)
    client_for(client, secretariat)
    svg = client.get(reverse("indicator-chart", args=[share.code]))
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    script = client.get(reverse("vega-script"))
    assert script.status_code == 200 and b"vegaEmbed" in script.content


def test_the_form_saves_valid_values_and_rejects_one_with_a_message(client, setup, reporter, hanoi):
    share, ratio, round_ = setup
    client_for(client, reporter)
    page = client.get(reverse("round-form", args=[round_.pk]))
    assert page.status_code == 200 and page.context["agency"] == hanoi
    response = form_post(
        client,
        round_,
        {
            f"i{share.pk}-value": "140",
            f"i{share.pk}-version": "0",
            f"i{ratio.pk}-numerator": "1.250",
            f"i{ratio.pk}-denominator": "2.000",
            f"i{ratio.pk}-version": "0",
        },
    )
    assert response.status_code == 400
    rows = {r.indicator.code: r for r in response.context["rows"]}
    assert rows[share.code].errors["value"] == [
        "A share cannot be above 100%; enter the percentage (for example 40,47), not a count."
    ]
    assert rows[share.code].input["value"] == "140", "what the person typed is kept"
    assert not Observation.objects.filter(indicator=share).exists(), "nothing invalid is stored"
    stored = Observation.objects.get(indicator=ratio, agency=hanoi)
    assert (stored.state, stored.value, stored.round) == ("submitted", 62.5, round_)


def test_a_word_instead_of_a_number_is_a_message_not_a_crash(client, setup, reporter):
    share, _, round_ = setup
    client_for(client, reporter)
    response = form_post(client, round_, {f"i{share.pk}-value": "khoảng 50", f"i{share.pk}-version": "0"})
    assert response.status_code == 400
    errors = {r.indicator.code: r.errors for r in response.context["rows"]}[share.code]
    assert "is not a number" in errors["value"][0]


def test_a_second_person_saving_the_same_value_gets_a_conflict(client, setup, reporter, approver, hanoi):
    share, _, round_ = setup
    first = services.record_observation(approver, share, hanoi, "2026-Q3", value=40, round=round_)
    services.record_observation(approver, share, hanoi, "2026-Q3", value=45, expected_version=first.version)
    client_for(client, reporter)
    response = form_post(
        client,
        round_,
        {f"i{share.pk}-value": "41", f"i{share.pk}-version": str(first.version)},
        action="save",
    )
    assert response.status_code == 400
    errors = {r.indicator.code: r.errors for r in response.context["rows"]}[share.code]
    assert "changed this value" in errors["row"][0]
    assert Observation.objects.get(indicator=share, agency=hanoi).value == 45


def test_an_agency_cannot_open_or_post_another_agencys_form(client, setup, reporter, outsider):
    share, _, round_ = setup
    client_for(client, reporter)
    assert client.get(reverse("round-form", args=[round_.pk]) + "?agency=P79").status_code == 403
    response = form_post(client, round_, {f"i{share.pk}-value": "50"}, agency="P79")
    assert response.status_code == 403
    assert not Observation.objects.filter(indicator=share).exists()


def test_an_agency_outside_the_round_does_not_see_it(client, setup, registry):
    from dxmonitor.accounts.models import Role
    from dxmonitor.accounts.services import create_user

    _, _, round_ = setup
    danang = create_user("danang", "pw-danang-123", Role.REPORTER, Agency.objects.get(code="P48"))
    client_for(client, danang)
    assert client.get(reverse("round-detail", args=[round_.pk])).status_code == 404
    assert client.get(reverse("round-form", args=[round_.pk])).status_code == 404
    assert round_.title not in client.get(reverse("round-index")).content.decode()


def test_the_approver_returns_then_approves_and_the_national_figure_changes(
    client, setup, reporter, approver, secretariat, hanoi, hcmc
):
    share, _, round_ = setup
    approved(secretariat, share, hcmc, "2026-Q3", value=70)
    client_for(client, reporter)
    form_post(client, round_, {f"i{share.pk}-value": "30", f"i{share.pk}-version": "0"})
    observation = Observation.objects.get(indicator=share, agency=hanoi)
    assert observation.state == "submitted"
    client_for(client, approver)
    queue = client.get(reverse("round-review", args=[round_.pk]))
    assert [o.agency.code for o in queue.context["rows"]] == ["P01"], (
        "the approver sees their own agency only"
    )
    client.post(
        reverse("observation-step", args=[observation.pk, "return"]),
        {"comment": "Số liệu chưa khớp báo cáo tháng", "version": observation.version},
    )
    observation.refresh_from_db()
    assert (observation.state, observation.review_comment) == ("returned", "Số liệu chưa khớp báo cáo tháng")
    client_for(client, reporter)
    form = client.get(reverse("round-form", args=[round_.pk]))
    assert "Số liệu chưa khớp báo cáo tháng" in form.content.decode()
    form_post(client, round_, {f"i{share.pk}-value": "50", f"i{share.pk}-version": str(observation.version)})
    observation.refresh_from_db()
    client_for(client, approver)
    client.post(
        reverse("observation-step", args=[observation.pk, "approve"]), {"version": observation.version}
    )
    observation.refresh_from_db()
    assert observation.state == "approved"
    data = client.get(reverse("indicator-detail-json", args=[share.code])).json()
    assert data["figures"][0]["value"] == 60.0, "mean of 50 and 70"
    steps = [e.reason for e in audit.history(observation)]
    assert "Số liệu chưa khớp báo cáo tháng" in steps


def test_a_return_without_a_comment_is_refused_with_a_message(client, setup, reporter, approver, hanoi):
    share, _, round_ = setup
    client_for(client, reporter)
    form_post(client, round_, {f"i{share.pk}-value": "30", f"i{share.pk}-version": "0"})
    observation = Observation.objects.get(indicator=share, agency=hanoi)
    client_for(client, approver)
    response = client.post(
        reverse("observation-step", args=[observation.pk, "return"]), {"comment": " "}, follow=True
    )
    assert "Say what to correct" in response.content.decode()
    observation.refresh_from_db()
    assert observation.state == "submitted"


def test_the_outsider_cannot_approve_another_agencys_value(client, setup, reporter, outsider, hanoi):
    share, _, round_ = setup
    client_for(client, reporter)
    form_post(client, round_, {f"i{share.pk}-value": "30", f"i{share.pk}-version": "0"})
    observation = Observation.objects.get(indicator=share, agency=hanoi)
    client_for(client, outsider)
    response = client.post(reverse("observation-step", args=[observation.pk, "approve"]), {})
    assert response.status_code == 404
    observation.refresh_from_db()
    assert observation.state == "submitted"


def test_a_reporter_cannot_approve_their_own_value(client, setup, reporter, hanoi):
    share, _, round_ = setup
    client_for(client, reporter)
    form_post(client, round_, {f"i{share.pk}-value": "30", f"i{share.pk}-version": "0"})
    observation = Observation.objects.get(indicator=share, agency=hanoi)
    assert client.get(reverse("round-review", args=[round_.pk])).status_code == 403
    response = client.post(reverse("observation-step", args=[observation.pk, "approve"]), {})
    assert response.status_code == 403
    observation.refresh_from_db()
    assert observation.state == "submitted"


def test_round_completeness_page_and_twin(client, setup, reporter, secretariat, hanoi):
    _, _, round_ = setup
    client_for(client, secretariat)
    data = client.get(reverse("round-detail-json", args=[round_.pk])).json()
    assert {a["code"]: a["state"] for a in data["agencies"]} == {"P01": "missing", "P79": "missing"}
    client_for(client, reporter)
    data = client.get(reverse("round-detail-json", args=[round_.pk])).json()
    assert [a["code"] for a in data["agencies"]] == ["P01"]
    page = client.get(reverse("round-detail", args=[round_.pk]))
    assert page.status_code == 200 and "Hà Nội" in page.content.decode()


def test_the_classification_page_counts_statuses(client, setup, secretariat, hanoi):
    share, _, _ = setup
    approved(secretariat, share, hanoi, "2026-Q3", value=70)
    services.set_target(secretariat, share, "2026", value=60)
    client_for(client, secretariat)
    data = client.get(reverse("indicator-classification-json") + "?period=2026").json()
    assert data["counts"]["no_data"] == 1, "a quarterly value is not the year's figure"
    bad = client.get(reverse("indicator-classification-json") + "?period=20x6")
    assert bad.status_code == 400


def test_anonymous_visitors_are_sent_to_log_in(client, setup):
    share, _, round_ = setup
    assert client.get(reverse("indicator-detail", args=[share.code])).status_code == 302
    assert client.get(reverse("indicator-detail-json", args=[share.code])).status_code == 401
    assert client.get(reverse("round-form", args=[round_.pk])).status_code == 302


def test_the_chart_draws_periods_in_time_order_a_year_after_its_fourth_quarter():
    from dxmonitor.indicators.views import _chart_rows

    rows = [{"period": p} for p in ("2025-Q4", "2026", "2026-Q1", "2026-Q2", "2025", "2026-Q4")]
    assert [r["period_label"] for r in _chart_rows(rows)] == [
        "Q4 2025",
        "2025",
        "Q1 2026",
        "Q2 2026",
        "Q4 2026",
        "2026",
    ]


def test_the_secretariat_opens_a_round_for_the_34_provinces(client, setup, secretariat, reporter):
    share, ratio, _ = setup
    client_for(client, reporter)
    assert client.get(reverse("round-create")).status_code == 403
    client_for(client, secretariat)
    bad = client.post(
        reverse("round-create"),
        {
            "title": "Báo cáo quý IV/2026",
            "period": "2026-Q9",
            "due_date": "2027-01-20",
            "sets": ["provinces"],
        },
    )
    assert bad.status_code == 400 and "2026-Q3" in bad.context["errors"]["period"][0]
    response = client.post(
        reverse("round-create"),
        {
            "title": "Báo cáo quý IV/2026",
            "period": "2026-Q4",
            "due_date": "2027-01-20",
            "sets": ["provinces"],
            "codes": "BKHCN; BCA",
            "indicators": [share.pk, ratio.pk],
        },
    )
    assert response.status_code == 302
    from dxmonitor.indicators.models import ReportingRound

    round_ = ReportingRound.objects.get(period="2026-Q4")
    assert round_.agencies.filter(kind="province").count() == 34
    assert set(round_.agencies.exclude(kind="province").values_list("code", flat=True)) == {"BKHCN", "BCA"}
    assert set(round_.indicators.all()) == {share, ratio}


def test_numbers_are_written_as_the_reader_writes_them():
    from dxmonitor.indicators.templatetags.indicator_tags import num

    with translation.override("vi"):
        assert [num(90637), num(40.47), num(1250000.5), num(None)] == ["90.637", "40,47", "1.250.000,5", "—"]
    with translation.override("en"):
        assert [num(90637), num(40.47), num(0)] == ["90,637", "40.47", "0"]
