"""The indicators API: catalogue, values scoped by agency, system-to-system push, approval, 400/403/409."""

import datetime

import pytest
from django.utils import translation

from dxmonitor.accounts.models import ApiToken
from dxmonitor.agencies.models import Agency
from dxmonitor.indicators import services
from dxmonitor.indicators.models import Observation
from dxmonitor.indicators.tests.factories import approved, indicator


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def bearer(user) -> dict:
    _token, key = ApiToken.issue(user, "Hệ thống thử")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def post(client, url, data, auth):
    return client.post(url, data, content_type="application/json", **auth)


@pytest.fixture
def fibre(registry):
    made = indicator(
        name="Tỷ lệ hộ gia đình có Internet cáp quang băng rộng", lead=[Agency.objects.get(code="BTTTT")]
    )
    return made


def test_the_catalogue_lists_indicators_with_their_lead_and_formula(client, reporter, fibre):
    data = client.get("/api/v1/indicators", **bearer(reporter)).json()
    assert data["count"] == 1
    assert data["items"][0] | {"code": None} == {
        "code": None,
        "name": "Tỷ lệ hộ gia đình có Internet cáp quang băng rộng",
        "group": "other",
        "unit": "%",
        "direction": "higher",
        "frequency": "year",
        "lead": ["BTTTT"],
        "formula": "value",
    }


def test_the_api_needs_a_signed_in_user_or_a_token(client, fibre):
    assert client.get("/api/v1/indicators").status_code == 401
    assert client.get(f"/api/v1/indicators/{fibre.code}/values").status_code == 401


def test_an_indicator_shows_targets_and_national_figures_with_source_and_notes(
    client, secretariat, reporter, fibre
):
    nation = Agency.objects.get(code="VN")
    services.set_target(secretariat, fibre, "2022", value=75, text="75%")
    approved(secretariat, fibre, nation, "2022", value=75, note="Số liệu ước tính")
    data = client.get(f"/api/v1/indicators/{fibre.code}", **bearer(reporter)).json()
    assert data["lead_names"] == ["Bộ Thông tin và Truyền thông"]
    assert [(d["version"], d["formula"]) for d in data["definitions"]] == [(1, "value")]
    assert [(t["period"], t["agency"], t["comparator"], t["value"], t["text"]) for t in data["targets"]] == [
        ("2022", "VN", ">=", 75, "75%")
    ]
    [figure] = data["figures"]
    assert (figure["value"], figure["source"], figure["note"], figure["status"]) == (
        75,
        "reported",
        "Số liệu ước tính",
        "achieved",
    )
    assert client.get("/api/v1/indicators/none", **bearer(reporter)).status_code == 404


def test_a_system_pushes_a_value_for_its_own_agency_with_its_token(client, reporter, hanoi, fibre):
    payload = {
        "indicator": fibre.code,
        "agency": "P01",
        "period": "2023",
        "value": 81.5,
        "note": "Từ hệ thống",
    }
    response = post(client, "/api/v1/observations", payload, bearer(reporter))
    assert response.status_code == 201
    data = response.json()
    assert (data["state"], data["source"], data["value"], data["entered_by"], data["version"]) == (
        "draft",
        "reported",
        81.5,
        "hanoi.baocao",
        1,
    )
    payload |= {"value": 82, "expected_version": 1, "submit": True}
    response = post(client, "/api/v1/observations", payload, bearer(reporter))
    assert response.status_code == 200 and response.json()["state"] == "submitted"


def test_a_token_may_not_push_for_another_agency(client, outsider, hanoi, fibre):
    payload = {"indicator": fibre.code, "agency": "P01", "period": "2023", "value": 81.5}
    response = post(client, "/api/v1/observations", payload, bearer(outsider))
    assert response.status_code == 403
    assert response.json()["detail_en"] == "You may not do this for another agency."
    assert not Observation.objects.exists()


def test_an_invalid_push_gets_a_message_per_field(client, reporter, hanoi, fibre):
    payload = {"indicator": fibre.code, "agency": "P01", "period": "2023", "value": 150}
    response = post(client, "/api/v1/observations", payload, bearer(reporter))
    assert response.status_code == 400
    assert "không thể vượt quá 100%;" in response.json()["errors"]["value"][0]
    response = post(
        client, "/api/v1/observations", payload | {"period": "2023-13", "value": 50}, bearer(reporter)
    )
    assert response.status_code == 400 and "period" in response.json()["errors"]
    assert not Observation.objects.exists()


def test_a_stale_push_gets_a_conflict_and_the_newer_value_stays(client, reporter, approver, hanoi, fibre):
    first = services.record_observation(reporter, fibre, hanoi, "2023", value=80)
    services.record_observation(approver, fibre, hanoi, "2023", value=81, expected_version=first.version)
    payload = {"indicator": fibre.code, "agency": "P01", "period": "2023", "value": 90, "expected_version": 1}
    response = post(client, "/api/v1/observations", payload, bearer(reporter))
    assert response.status_code == 409
    assert response.json()["version"] == 2 and "reload" in response.json()["detail_en"]
    assert Observation.objects.get().value == 81


def test_submit_approve_return_and_reopen_through_the_api(client, reporter, approver, hanoi, fibre):
    observation = services.record_observation(reporter, fibre, hanoi, "2023", value=80)
    url = f"/api/v1/observations/{observation.pk}"
    assert post(client, f"{url}/submit", {}, bearer(reporter)).json()["state"] == "submitted"
    response = post(client, f"{url}/return", {"comment": ""}, bearer(approver))
    assert response.status_code == 400 and "comment" in response.json()["errors"]
    response = post(client, f"{url}/return", {"comment": "Kiểm tra lại mẫu số"}, bearer(approver))
    assert (response.json()["state"], response.json()["review_comment"]) == (
        "returned",
        "Kiểm tra lại mẫu số",
    )
    post(client, f"{url}/submit", {}, bearer(reporter))
    response = post(client, f"{url}/approve", {"expected_version": 1}, bearer(approver))
    assert response.status_code == 409
    response = post(client, f"{url}/approve", {}, bearer(approver))
    assert (response.json()["state"], response.json()["approved_by"]) == ("approved", "hanoi.duyet")
    response = post(client, f"{url}/reopen", {"reason": "Số liệu điều chỉnh"}, bearer(approver))
    assert response.json()["state"] == "draft"


def test_an_outsider_cannot_move_another_agencys_value(client, reporter, outsider, hanoi, fibre):
    observation = services.submit_observation(
        reporter, services.record_observation(reporter, fibre, hanoi, "2023", value=80)
    )
    for step, body in (
        ("submit", {}),
        ("approve", {}),
        ("return", {"comment": "x"}),
        ("reopen", {"reason": "x"}),
    ):
        assert (
            post(client, f"/api/v1/observations/{observation.pk}/{step}", body, bearer(outsider)).status_code
            == 403
        )
    assert Observation.objects.get().state == "submitted"


def test_an_agency_sees_its_own_values_and_the_nations_approved_ones(
    client, secretariat, reporter, outsider, leader, hanoi, hcmc, fibre
):
    nation = Agency.objects.get(code="VN")
    services.record_observation(reporter, fibre, hanoi, "2023", value=80)
    approved(secretariat, fibre, hcmc, "2025", value=70)
    approved(secretariat, fibre, nation, "2022", value=75)
    services.record_observation(secretariat, fibre, nation, "2023", value=79)  # a national draft
    url = f"/api/v1/indicators/{fibre.code}/values"
    seen = client.get(url, **bearer(outsider)).json()["items"]
    assert sorted((v["agency"], v["period"]) for v in seen) == [("P79", "2025"), ("VN", "2022")]
    assert client.get(url, {"agency": "P01"}, **bearer(outsider)).status_code == 403
    assert client.get(url, {"agency": "VN"}, **bearer(outsider)).json()["count"] == 1
    assert client.get(url, **bearer(leader)).json()["count"] == 4
    assert client.get(url, {"period": "2023", "agency": "P01"}, **bearer(leader)).json()["count"] == 1
    assert client.get(url, {"agency": "P01"}, **bearer(reporter)).json()["items"][0]["value"] == 80


def test_completeness_shows_everyone_to_leaders_and_an_agency_its_own_row(
    client, secretariat, leader, outsider, hanoi, hcmc, fibre
):
    round_ = services.open_round(
        secretariat,
        title="Năm 2023",
        period="2023",
        due_date=datetime.date(2024, 1, 15),
        indicators=[fibre],
        agencies=[hanoi, hcmc],
    )
    url = f"/api/v1/rounds/{round_.pk}/completeness"
    data = client.get(url, **bearer(leader)).json()
    assert [a["code"] for a in data["agencies"]] == ["P01", "P79"]
    assert data["total"] | {"label": None, "label_en": None} == {
        "group": "total",
        "label": None,
        "label_en": None,
        "required": 2,
        "reported": 0,
        "late": 0,
        "missing": 2,
        "reported_rate": 0.0,
        "on_time_rate": 0.0,
    }
    data = client.get(url, **bearer(outsider)).json()
    assert [a["code"] for a in data["agencies"]] == ["P79"]


def test_the_classification_counts_statuses_for_a_period(client, secretariat, reporter, fibre):
    nation = Agency.objects.get(code="VN")
    services.set_target(secretariat, fibre, "2022", value=75)
    approved(secretariat, fibre, nation, "2022", value=70)
    data = client.get("/api/v1/classification", {"period": "2022"}, **bearer(reporter)).json()
    assert data["counts"] == {"achieved": 0, "not_achieved": 1, "no_data": 0}
    assert data["indicators"][0]["lead"] == ["BTTTT"]
    assert (
        client.get("/api/v1/classification", {"period": "hai nghìn"}, **bearer(reporter)).status_code == 400
    )
