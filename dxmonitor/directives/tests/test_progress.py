import datetime
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from dxmonitor.accounts.models import ApiToken
from dxmonitor.core import audit
from dxmonitor.directives import progress
from dxmonitor.directives.models import DeadlineExtension, Evidence, ProgressReport
from dxmonitor.directives.scorecards import scorecard
from dxmonitor.directives.services import TaskFilter
from dxmonitor.directives.tests.factories import task

TODAY = timezone.localdate()
NEXT_MONTH = TODAY + datetime.timedelta(days=30)


def _pdf(name="bien-ban.pdf", size=2000):
    return SimpleUploadedFile(name, b"%PDF-1.4\n" + b"x" * size, content_type="application/pdf")


@pytest.fixture
def hanoi_task(hanoi, hcmc):
    return task(hanoi, deadline=NEXT_MONTH, coordinating=[hcmc], text="Số hóa hồ sơ")


def test_the_lead_reports_done_with_evidence_and_the_secretariat_confirms(
    client, reporter, secretariat, hanoi_task
):
    client.force_login(reporter)
    response = client.post(
        reverse("report-create", args=[hanoi_task.pk]),
        {
            "text": "Đã số hóa 100% hồ sơ",
            "completion": "done",
            "product": "Kho dữ liệu số hóa",
            "files": [_pdf()],
            "links": "https://hanoi.gov.vn/bao-cao",
        },
    )
    assert response.status_code == 302
    report = ProgressReport.objects.get()
    assert report.review == ProgressReport.Review.PENDING
    assert sorted(bool(e.file) for e in report.evidence.all()) == [False, True]
    hanoi_task.refresh_from_db()
    assert hanoi_task.completed_on is None  # not until the secretariat confirms
    client.force_login(secretariat)
    client.post(reverse("report-review", args=[report.pk]), {"decision": "confirm"})
    hanoi_task.refresh_from_db()
    assert hanoi_task.completed_on == TODAY
    assert audit.history(hanoi_task).first().after["completed_on"] == TODAY.isoformat()
    card = scorecard(
        secretariat, TaskFilter(agency=hanoi_task.assignments.get(role="lead").agency, role="lead")
    )
    assert (card.completed_on_time, card.in_progress) == (1, 0)


def test_a_returned_completion_needs_a_reason_and_leaves_the_task_open(reporter, secretariat, hanoi_task):
    report = progress.file_report(hanoi_task, reporter, text="Xong", completion="done", product="Báo cáo")
    with pytest.raises(ValidationError):
        progress.review_completion(report, secretariat, confirm=False)
    progress.review_completion(report, secretariat, confirm=False, comment="Thiếu minh chứng")
    hanoi_task.refresh_from_db()
    report.refresh_from_db()
    assert report.review == ProgressReport.Review.RETURNED and hanoi_task.completed_on is None


def test_a_coordinating_agency_reports_progress_but_not_completion(outsider, hanoi_task):
    progress.file_report(hanoi_task, outsider, text="Đã phối hợp cung cấp dữ liệu")
    with pytest.raises(ValidationError) as error:
        progress.file_report(hanoi_task, outsider, text="Xong", completion="done", product="x")
    assert "completion" in error.value.message_dict


def test_an_agency_not_assigned_the_task_cannot_report_or_see_it(client, approver, registry, hanoi):
    other = task(registry.get(code="P31"), deadline=NEXT_MONTH)
    with pytest.raises(PermissionDenied):
        progress.file_report(other, approver, text="x")
    client.force_login(approver)
    assert client.get(reverse("task-detail", args=[other.pk])).status_code == 403
    assert client.get(reverse("task-detail-json", args=[other.pk])).status_code == 403
    assert client.post(reverse("report-create", args=[other.pk]), {"text": "x"}).status_code == 403
    assert not ProgressReport.objects.exists()


def test_bad_evidence_is_refused_and_nothing_is_stored(reporter, hanoi_task, settings):
    settings.MAX_UPLOAD_BYTES = 1000
    cases = [
        [SimpleUploadedFile("virus.exe", b"MZ" + b"x" * 10)],
        [_pdf(size=5000)],
        [SimpleUploadedFile("rong.pdf", b"")],
    ]
    for files in cases:
        with pytest.raises(ValidationError) as error:
            progress.file_report(hanoi_task, reporter, text="x", files=files)
        assert "files" in error.value.message_dict
    with pytest.raises(ValidationError):
        progress.file_report(hanoi_task, reporter, text="x", links=["javascript:alert(1)"])
    assert not ProgressReport.objects.exists() and not Evidence.objects.exists()


def test_evidence_is_served_only_to_those_who_may_see_the_task(
    client, reporter, leader, approver, hanoi_task, registry, settings
):
    report = progress.file_report(hanoi_task, reporter, text="x", files=[_pdf()])
    evidence = report.evidence.get()
    stored = Path(evidence.file.path).resolve()
    assert stored.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert not stored.is_relative_to(Path(settings.STATIC_ROOT).resolve())
    assert settings.MEDIA_URL is None  # nothing under MEDIA_ROOT is served without the permission check
    url = reverse("evidence-file", args=[evidence.pk])
    for who in (reporter, leader, approver):
        client.force_login(who)
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
        assert b"".join(response.streaming_content).startswith(b"%PDF")
    from dxmonitor.accounts.models import Role
    from dxmonitor.accounts.services import create_user

    stranger = create_user("danang", "pw-" + "x" * 12, Role.REPORTER, registry.get(code="P48"))
    client.force_login(stranger)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_an_approved_extension_moves_the_deadline_and_keeps_the_original(
    reporter, secretariat, hanoi, hanoi_task
):
    later = NEXT_MONTH + datetime.timedelta(days=60)
    extension = progress.request_extension(hanoi_task, reporter, new_deadline=later, reason="Chờ hướng dẫn")
    with pytest.raises(ValidationError):
        progress.request_extension(hanoi_task, reporter, new_deadline=later, reason="lần hai")
    progress.decide_extension(extension, secretariat, approve=True)
    hanoi_task.refresh_from_db()
    assert (hanoi_task.deadline, hanoi_task.original_deadline) == (later, NEXT_MONTH)
    extension.refresh_from_db()
    assert extension.decided_on == TODAY and extension.old_deadline == NEXT_MONTH
    assert "Chờ hướng dẫn" in audit.history(hanoi_task).first().reason


def test_only_the_lead_asks_for_an_extension_and_only_forward(outsider, reporter, hanoi_task):
    with pytest.raises(PermissionDenied):
        progress.request_extension(
            hanoi_task, outsider, new_deadline=NEXT_MONTH + datetime.timedelta(days=9), reason="r"
        )
    with pytest.raises(ValidationError):
        progress.request_extension(hanoi_task, reporter, new_deadline=NEXT_MONTH, reason="r")


def test_only_the_secretariat_confirms_or_decides(reporter, approver, leader, hanoi_task):
    report = progress.file_report(hanoi_task, reporter, text="Xong", completion="done", product="x")
    extension = progress.request_extension(
        hanoi_task, reporter, new_deadline=NEXT_MONTH + datetime.timedelta(1), reason="r"
    )
    for who in (reporter, approver, leader):
        with pytest.raises(PermissionDenied):
            progress.review_completion(report, who, confirm=True)
        with pytest.raises(PermissionDenied):
            progress.decide_extension(extension, who, approve=True)
    assert DeadlineExtension.objects.get().state == DeadlineExtension.State.REQUESTED


def test_an_agency_token_sees_only_its_own_tasks_in_the_api(client, reporter, outsider, hanoi_task, registry):
    other = task(registry.get(code="P31"), deadline=NEXT_MONTH)
    _, key = ApiToken.issue(reporter, "system")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    data = client.get("/api/v1/tasks", **auth).json()
    assert [t["id"] for t in data["items"]] == [hanoi_task.pk]
    assert data["items"][0]["status"] == "in_progress"
    assert client.get(f"/api/v1/tasks/{other.pk}", **auth).status_code == 403
    assert client.get("/api/v1/tasks", {"agency": "P31"}, **auth).status_code == 403
    assert client.get("/api/v1/scorecard", {"agency": "P31"}, **auth).status_code == 403
    assert client.get("/api/v1/scorecard", **auth).json()["in_progress"] == 1
    bad = client.get("/api/v1/tasks", {"status": "lost"}, **auth)
    assert bad.status_code == 400 and "status" in bad.json()["errors"]


def test_the_task_page_and_its_json_twin_show_reports_and_history(client, reporter, hanoi_task):
    progress.file_report(hanoi_task, reporter, text="Đang triển khai")
    client.force_login(reporter)
    page = client.get(reverse("task-detail", args=[hanoi_task.pk])).content.decode()
    assert "Đang triển khai" in page and "Đang thực hiện trong hạn" in page
    data = client.get(reverse("task-detail-json", args=[hanoi_task.pk])).json()
    assert data["status"] == "in_progress" and data["reports"][0]["text"] == "Đang triển khai"


def test_the_task_list_and_scorecard_pages_answer_bad_filters_with_400(client, leader, registry):
    client.force_login(leader)
    assert client.get(reverse("task-index"), {"as_of": "hôm qua"}).status_code == 400
    response = client.get(reverse("scorecard-json"), {"status": "x", "as_of": "2024-13-01"})
    assert response.status_code == 400 and "as_of" in response.json()["errors"]


def test_the_api_follows_a_task_to_its_end(client, reporter, secretariat, outsider, hanoi_task):
    _, key = ApiToken.issue(reporter, "system")
    _, boss = ApiToken.issue(secretariat, "secretariat")
    _, other = ApiToken.issue(outsider, "hcm")
    as_ = lambda k: {"HTTP_AUTHORIZATION": f"Bearer {k}", "content_type": "application/json"}  # noqa: E731
    url = f"/api/v1/tasks/{hanoi_task.pk}/reports"
    done = {"text": "Xong", "completion": "done", "product": "Kho dữ liệu", "links": ["https://x.gov.vn/a"]}
    assert (
        client.post(url, done, **as_(other)).status_code == 400
    )  # a coordinating agency may not report done
    response = client.post(url, done, **as_(key))
    assert response.status_code == 201
    report_id = response.json()["id"]
    assert (
        client.post(f"/api/v1/reports/{report_id}/review", {"confirm": True}, **as_(key)).status_code == 403
    )
    assert (
        client.post(f"/api/v1/reports/{report_id}/review", {"confirm": True}, **as_(boss)).json()["review"]
        == "confirmed"
    )
    assert client.get(f"/api/v1/tasks/{hanoi_task.pk}", **as_(key)).json()["status"] == "completed_on_time"
    assert client.get("/api/v1/ranking", **as_(key)).status_code == 403
    assert client.get("/api/v1/ranking", **as_(boss)).json()[0]["code"] == "P01"


def test_the_api_takes_extension_requests_and_decisions(client, reporter, secretariat, hanoi_task):
    _, key = ApiToken.issue(reporter, "system")
    _, boss = ApiToken.issue(secretariat, "secretariat")
    auth = lambda k: {"HTTP_AUTHORIZATION": f"Bearer {k}", "content_type": "application/json"}  # noqa: E731
    later = (NEXT_MONTH + datetime.timedelta(days=10)).isoformat()
    bad = client.post(
        f"/api/v1/tasks/{hanoi_task.pk}/extensions", {"new_deadline": later, "reason": ""}, **auth(key)
    )
    assert bad.status_code == 400 and "reason" in bad.json()["errors"]
    created = client.post(
        f"/api/v1/tasks/{hanoi_task.pk}/extensions", {"new_deadline": later, "reason": "r"}, **auth(key)
    )
    assert created.status_code == 201
    decided = client.post(
        f"/api/v1/extensions/{created.json()['id']}/decide", {"approve": True}, **auth(boss)
    )
    assert decided.json()["state"] == "approved"
    assert client.get(f"/api/v1/tasks/{hanoi_task.pk}", **auth(key)).json()["deadline"] == later
