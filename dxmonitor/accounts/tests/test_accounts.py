import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from conftest import PASSWORD
from dxmonitor.accounts.models import ApiToken, Role
from dxmonitor.accounts.services import create_user, issue_token, revoke_token


def test_an_agency_role_needs_an_agency(registry):
    with pytest.raises(ValidationError):
        create_user("nobody", PASSWORD, Role.REPORTER)


def test_only_the_secretariat_gets_the_admin(secretariat, leader, reporter):
    assert secretariat.is_staff and secretariat.is_superuser
    assert not leader.is_staff and not reporter.is_staff


def test_people_log_in_and_see_who_they_are(client, reporter):
    response = client.post(reverse("login"), {"username": "hanoi.baocao", "password": PASSWORD}, follow=True)
    assert response.status_code == 200
    assert response.wsgi_request.user == reporter
    assert "Hà Nội" in response.content.decode()


def test_a_wrong_password_is_refused_in_vietnamese(client, reporter):
    response = client.post(reverse("login"), {"username": "hanoi.baocao", "password": "wrong-password"})
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated
    assert "mật khẩu chính xác" in response.content.decode()


def test_repeated_failed_logins_lock_the_account_even_with_the_right_password(client, reporter, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "hanoi.baocao", "password": "guess"})
    response = client.post(reverse("login"), {"username": "hanoi.baocao", "password": PASSWORD})
    assert response.status_code == 429
    assert not response.wsgi_request.user.is_authenticated
    assert "khóa" in response.content.decode()


def test_a_lock_out_is_per_account_not_for_everyone(client, reporter, outsider, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "hanoi.baocao", "password": "guess"})
    response = client.post(reverse("login"), {"username": "hcm.baocao", "password": PASSWORD})
    assert response.status_code == 302


def test_logout_ends_the_session(client, reporter):
    client.force_login(reporter)
    client.post(reverse("logout"))
    assert client.get(reverse("agency-index")).status_code == 302


def test_a_token_is_shown_once_and_only_its_hash_is_kept(client, reporter):
    client.force_login(reporter)
    response = client.post(reverse("token-index"), {"name": "Hệ thống báo cáo Hà Nội"})
    key = response.context["new_key"]
    assert key.startswith("dxm_")
    token = ApiToken.objects.get(user=reporter)
    assert key not in (token.key_hash, token.prefix)
    assert ApiToken.objects.find(key) == token
    assert key not in client.get(reverse("token-index")).content.decode()


def test_a_token_needs_a_name(reporter):
    with pytest.raises(ValidationError):
        issue_token(reporter, "  ")


def test_an_outsider_cannot_revoke_another_persons_token(client, reporter, outsider):
    token, _ = ApiToken.issue(reporter, "system")
    client.force_login(outsider)
    response = client.post(reverse("token-revoke", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    with pytest.raises(PermissionDenied):
        revoke_token(outsider, token)


def test_the_owner_revokes_a_token_and_it_stops_working(client, reporter):
    token, key = ApiToken.issue(reporter, "system")
    client.force_login(reporter)
    client.post(reverse("token-revoke", args=[token.pk]))
    assert ApiToken.objects.find(key) is None
    client.logout()
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_the_token_list_json_shows_only_ones_own_tokens(client, reporter, outsider):
    ApiToken.issue(reporter, "mine")
    ApiToken.issue(outsider, "theirs")
    client.force_login(reporter)
    data = client.get(reverse("token-index-json")).json()
    assert [t["name"] for t in data["tokens"]] == ["mine"]


@pytest.mark.parametrize("who", ["leader", "reporter", "approver", "outsider"])
def test_only_the_secretariat_enters_the_admin(client, who, request, secretariat):
    client.force_login(request.getfixturevalue(who))
    assert client.get("/admin/").status_code == 302
    assert client.get("/admin/agencies/agency/").status_code == 302
    client.force_login(secretariat)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/agencies/agency/?q=Hà+Giang").status_code == 200
