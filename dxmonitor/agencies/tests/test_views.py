import pytest
from django.urls import reverse

from dxmonitor.accounts.models import ApiToken


def test_anonymous_visitors_are_sent_to_log_in(client, registry):
    response = client.get(reverse("agency-index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_json_twin_answers_401_in_both_languages_instead_of_redirecting(client, registry):
    response = client.get(reverse("agency-index-json"))
    assert response.status_code == 401
    assert set(response.json()) == {"detail", "detail_en"}


def test_the_agency_list_filters_by_date_and_kind(client, reporter):
    client.force_login(reporter)
    page = client.get(reverse("agency-index"), {"on": "2024-04-24", "kind": "province"})
    assert "63" in page.content.decode()
    assert "Tỉnh Hà Giang" in page.content.decode()
    data = client.get(reverse("agency-index-json"), {"on": "2025-08-01", "kind": "province"}).json()
    assert data["count"] == 34
    assert "Tỉnh Hà Giang" not in {a["name"] for a in data["agencies"]}


def test_the_agency_list_searches_names_and_pages_communes(client, reporter):
    client.force_login(reporter)
    data = client.get(reverse("agency-index-json"), {"on": "2025-08-01", "kind": "commune"}).json()
    assert data["count"] == 3321 and data["pages"] == 34 and len(data["agencies"]) == 100
    found = client.get(reverse("agency-index-json"), {"q": "Tuyên Quang", "on": "2024-01-01"}).json()
    assert [a["code"] for a in found["agencies"]] == ["P08-63"]


def test_a_merged_agency_page_says_where_its_work_went(client, reporter):
    client.force_login(reporter)
    page = client.get(reverse("agency-detail", args=["P02-63"])).content.decode()
    assert "Tỉnh Tuyên Quang" in page
    data = client.get(reverse("agency-detail-json", args=["P02-63"])).json()
    assert data["agency"]["valid_to"] == "2025-06-30"
    assert [s["agency"]["code"] for s in data["successors"]] == ["P08"]
    assert "UBND tỉnh Hà Giang" in data["aliases"]


def test_an_unknown_agency_is_404(client, reporter):
    client.force_login(reporter)
    assert client.get(reverse("agency-detail", args=["NOPE"])).status_code == 404


@pytest.mark.parametrize("who", ["reporter", "approver", "leader", "secretariat"])
def test_own_agency_staff_leaders_and_secretariat_see_who_acts_for_an_agency(client, request, who, reporter):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("agency-members-json", args=["P01"]))
    assert response.status_code == 200
    assert "hanoi.baocao" in {m["username"] for m in response.json()["members"]}


def test_an_outsider_may_not_see_who_acts_for_another_agency(client, reporter, outsider):
    client.force_login(outsider)
    assert client.get(reverse("agency-members", args=["P01"])).status_code == 403
    assert client.get(reverse("agency-members-json", args=["P01"])).status_code == 403
    page = client.get(reverse("agency-detail", args=["P01"])).content.decode()
    assert reverse("agency-members", args=["P01"]) not in page
    assert "hanoi.baocao" not in page


def test_the_api_lists_agencies_to_a_token(client, reporter):
    _, key = ApiToken.issue(reporter, "system")
    response = client.get(
        "/api/v1/agencies",
        {"on": "2024-04-24", "kind": "province", "limit": 100},
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 200
    assert response.json()["count"] == 63


def test_the_api_refuses_anonymous_callers_and_bad_tokens(client, registry):
    assert client.get("/api/v1/agencies").status_code == 401
    response = client.get("/api/v1/agencies", HTTP_AUTHORIZATION="Bearer dxm_not-a-token")
    assert response.status_code == 401
    assert response.json()["detail_en"] == "Sign in or send a valid API token."


def test_the_api_gives_successors_on_a_date(client, reporter):
    client.force_login(reporter)
    data = client.get("/api/v1/agencies/BTTTT/successors", {"on": "2025-08-01"}).json()
    assert data[0]["code"] == "BKHCN"
    assert client.get("/api/v1/agencies/BTTTT/successors", {"on": "bad"}).status_code == 422


def test_the_api_keeps_members_from_an_outsider_token(client, reporter, outsider):
    _, key = ApiToken.issue(outsider, "their system")
    response = client.get("/api/v1/agencies/P01/members", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 403
    assert "detail" in response.json()
    _, own = ApiToken.issue(reporter, "own system")
    assert client.get("/api/v1/agencies/P01/members", HTTP_AUTHORIZATION=f"Bearer {own}").status_code == 200


def test_the_api_says_who_the_caller_is(client, reporter):
    _, key = ApiToken.issue(reporter, "system")
    data = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert data == {
        "username": "hanoi.baocao",
        "full_name": "hanoi.baocao",
        "role": "reporter",
        "agency_code": "P01",
        "agency_name": "Thành phố Hà Nội",
    }


def test_the_openapi_schema_and_docs_are_served_without_a_cdn(client, registry):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/agencies" in schema["paths"]
    docs = client.get("/api/v1/docs").content.decode()
    assert "cdn" not in docs.lower() and "/static/ninja/" in docs
