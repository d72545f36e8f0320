import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import transaction

from dxmonitor.core.models import Notification
from dxmonitor.core.notifications import mark_read, notify, unread_count


def note(user, key, subject="Nhắc hạn / Reminder", url="/tasks/1/"):
    return notify(user, kind="due", key=key, subject=subject, body="Nội dung / Body", url=url)


def test_notify_stores_and_emails_a_new_notification_once(reporter):
    reporter.email = "hanoi@example.gov.vn"
    reporter.save()
    first = note(reporter, "k1")
    assert first is not None and first.emailed_at is not None
    assert note(reporter, "k1") is None
    assert Notification.objects.filter(key="k1").count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["hanoi@example.gov.vn"]
    assert mail.outbox[0].subject == "Nhắc hạn / Reminder"
    assert "/tasks/1/" in mail.outbox[0].body
    assert Notification.objects.get(key="k1").emailed_at is not None


def test_notify_keeps_people_without_an_address_to_the_app(reporter):
    assert note(reporter, "k1").emailed_at is None
    assert mail.outbox == []


def test_notify_folds_a_subject_onto_one_line(reporter):
    reporter.email = "hanoi@example.gov.vn"
    reporter.save()
    assert note(reporter, "k1", subject="Nhắc hạn:\n nhiệm vụ 4.b").subject == "Nhắc hạn: nhiệm vụ 4.b"
    assert mail.outbox[0].subject == "Nhắc hạn: nhiệm vụ 4.b"


def test_a_duplicate_key_does_not_spoil_the_callers_transaction(reporter, approver):
    note(reporter, "k1")
    with transaction.atomic():
        assert note(reporter, "k1") is None
        # Without a savepoint PostgreSQL would refuse every statement from here on.
        assert note(approver, "k2") is not None
    assert Notification.objects.count() == 2


def test_mark_read_marks_ones_own_notification(reporter):
    notification = note(reporter, "k1")
    assert unread_count(reporter) == 1
    mark_read(reporter, notification)
    first = Notification.objects.get(pk=notification.pk).read_at
    assert first is not None
    assert unread_count(reporter) == 0
    mark_read(reporter, Notification.objects.get(pk=notification.pk))
    assert Notification.objects.get(pk=notification.pk).read_at == first


def test_mark_read_refuses_another_users_notification(reporter, outsider):
    notification = note(reporter, "k1")
    with pytest.raises(PermissionDenied):
        mark_read(outsider, notification)
    assert Notification.objects.get(pk=notification.pk).read_at is None


def test_unread_count_counts_only_ones_own_unread(reporter, outsider):
    note(reporter, "k1")
    mark_read(reporter, note(reporter, "k2"))
    note(outsider, "k3")
    assert unread_count(reporter) == 1
    assert unread_count(outsider) == 1


@pytest.fixture
def inbox(reporter, outsider):
    """Two of the reporter's notifications (the older one read) and one of the outsider's."""
    old = note(reporter, "old", subject="Cũ / Old")
    mark_read(reporter, old)
    new = note(reporter, "new", subject="Mới / New")
    theirs = note(outsider, "theirs", subject="Của người khác / Someone else's")
    return old, new, theirs


def signed_in_as(client, user):
    client.force_login(user)
    return client


def test_the_list_shows_ones_own_notifications_newest_first_unread_highlighted(client, reporter, inbox):
    old, new, theirs = inbox
    html = signed_in_as(client, reporter).get("/notifications/").content.decode()
    assert html.index("Mới / New") < html.index("Cũ / Old")
    assert "Của người khác" not in html
    new_article = html.split(f'data-testid="notification-{new.pk}"')[0].rsplit("<article", 1)[1]
    old_article = html.split(f'data-testid="notification-{old.pk}"')[0].rsplit("<article", 1)[1]
    assert "unread" in new_article and "unread" not in old_article


def test_the_json_twin_lists_ones_own_notifications(client, reporter, inbox):
    old, new, theirs = inbox
    data = signed_in_as(client, reporter).get("/notifications.json").json()
    assert data["count"] == 2 and data["unread"] == 1
    assert [n["id"] for n in data["notifications"]] == [new.pk, old.pk]
    assert data["notifications"][0]["read_at"] is None and data["notifications"][1]["read_at"]
    assert data["notifications"][0]["url"] == "/tasks/1/"


def test_the_list_asks_anonymous_visitors_to_sign_in(client):
    assert client.get("/notifications/")["Location"].startswith("/accounts/login/")
    assert client.get("/notifications.json").status_code == 401


def test_posting_read_marks_ones_own_notification_read(client, reporter, inbox):
    new = inbox[1]
    response = signed_in_as(client, reporter).post(f"/notifications/{new.pk}/read/")
    assert response.status_code == 302 and response["Location"] == "/notifications/"
    assert Notification.objects.get(pk=new.pk).read_at is not None


def test_open_marks_read_and_goes_to_the_page_it_is_about(client, reporter, inbox):
    new = inbox[1]
    response = signed_in_as(client, reporter).post(f"/notifications/{new.pk}/read/", {"open": "1"})
    assert response["Location"] == "/tasks/1/"


def test_open_never_leaves_the_site(client, reporter):
    notification = note(reporter, "k1", url="//evil.example/")
    response = signed_in_as(client, reporter).post(f"/notifications/{notification.pk}/read/", {"open": "1"})
    assert response["Location"] == "/notifications/"


def test_marking_read_needs_a_post(client, reporter, inbox):
    new = inbox[1]
    assert signed_in_as(client, reporter).get(f"/notifications/{new.pk}/read/").status_code == 405
    assert Notification.objects.get(pk=new.pk).read_at is None


def test_another_users_notification_is_not_found_to_mark_read(client, outsider, inbox):
    new = inbox[1]
    assert signed_in_as(client, outsider).post(f"/notifications/{new.pk}/read/").status_code == 404
    assert Notification.objects.get(pk=new.pk).read_at is None


def test_emails_carry_the_sites_address_and_the_header_counts_unread(client, reporter, settings, mailoutbox):
    from dxmonitor.core.notifications import notify

    settings.SITE_URL = "https://dxmonitor.example.gov.vn"
    reporter.email = "baocao@hanoi.gov.vn"
    reporter.save()
    notify(reporter, kind="due", key="k-site-url", subject="Nhắc hạn", body="Nội dung", url="/tasks/7/")
    assert "https://dxmonitor.example.gov.vn/tasks/7/" in mailoutbox[-1].body
    client.force_login(reporter)
    header = client.get("/").content.decode()
    assert 'data-testid="notifications">Thông báo <span class="tag">1</span>' in header
