"""Upload, review and publish through the web, as the secretariat does after a session."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dxmonitor.core import audit
from dxmonitor.directives.models import Document, Task
from dxmonitor.ingest.models import Decision, DraftTask, Extraction

NOTICE = """THÔNG BÁO
Kết luận Phiên họp thử nghiệm của Ủy ban Quốc gia về chuyển đổi số

Ngày 15 tháng 3 năm 2025, tại trụ sở Chính phủ, Thủ tướng Chính phủ đã chủ trì Phiên họp.

Ủy ban Quốc gia về chuyển đổi số thống nhất chỉ đạo:

1. Nhiệm vụ trọng tâm
a) Bộ Khoa học và Công nghệ chủ trì, phối hợp với Bộ Công an xây dựng Chiến lược dữ liệu quốc gia, trình Thủ tướng Chính phủ trong tháng 6 năm 2025.
b) Ủy ban nhân dân thành phố Hà Nội hoàn thành số hóa hồ sơ thủ tục hành chính trước ngày 30 tháng 9 năm 2025.
"""


def _upload(client, content: bytes, name="thong-bao.txt"):
    return client.post(reverse("ingest-upload"), {"file": SimpleUploadedFile(name, content)})


@pytest.fixture
def uploaded(client, secretariat):
    client.force_login(secretariat)
    response = _upload(client, NOTICE.encode("utf-8"))
    assert response.status_code == 302
    return Extraction.objects.get()


def test_the_secretariat_uploads_a_notice_and_sees_its_tasks_beside_their_source(client, uploaded):
    page = client.get(reverse("ingest-review", args=[uploaded.pk])).content.decode()
    assert "Chiến lược dữ liệu quốc gia" in page
    data = client.get(reverse("ingest-review-json", args=[uploaded.pk])).json()
    leads = {tuple(a["code"] for a in t["lead"]) for t in data["tasks"]}
    assert ("BKHCN",) in leads and ("P01",) in leads
    strategy = next(t for t in data["tasks"] if "Chiến lược" in t["text"])
    assert strategy["deadline"]["date"] == "2025-06-30"
    assert [a["code"] for a in strategy["coordinating"]] == ["BCA"]
    assert uploaded.document.state == Document.State.DRAFT
    assert not Task.objects.exists()


def test_the_same_notice_uploaded_twice_is_recognised(client, uploaded):
    response = _upload(client, ("\ufeff" + NOTICE.replace("\n", "\r\n")).encode("utf-8"), "copy.txt")
    assert response["Location"] == reverse("ingest-review", args=[uploaded.pk])
    assert Extraction.objects.count() == 1 and Document.objects.count() == 1


@pytest.mark.parametrize(
    ("content", "name", "words"),
    [
        (b"", "empty.txt", "rỗng"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "scan.txt", "PNG"),
        (b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", "scan.pdf", "OCR"),
        (b"PK\x03\x04 not really a zip", "notice.xlsx", "xlsx"),
    ],
)
def test_bad_files_get_a_clear_vietnamese_message_and_change_nothing(
    client, secretariat, content, name, words
):
    client.force_login(secretariat)
    response = _upload(client, content, name)
    assert response.status_code == 400
    assert words.lower() in response.content.decode().lower()
    assert not Document.objects.exists() and not Extraction.objects.exists()


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(client, secretariat, settings):
    settings.MAX_UPLOAD_BYTES = 1024
    client.force_login(secretariat)
    response = _upload(client, NOTICE.encode("utf-8") * 10)
    assert response.status_code == 400
    assert not Document.objects.exists()


def test_a_corrected_deadline_and_lead_are_kept_and_published(client, uploaded, secretariat):
    draft = uploaded.tasks.get(text__contains="Chiến lược")
    response = client.post(
        reverse("ingest-edit-task", args=[draft.pk]),
        {
            "text": draft.text,
            "lead": "Bộ KH&CN",
            "coordinating": "Bộ Công an; Văn phòng Chính phủ",
            "deadline": "2025-07-31",
            "deadline_text": "trong tháng 7 năm 2025",
            "accept": "1",
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.decision == Decision.ACCEPTED and draft.edited
    assert draft.deadline == datetime.date(2025, 7, 31)
    assert sorted(a.code for a in draft.coordinating.all()) == ["BCA", "VPCP"]
    client.post(reverse("ingest-publish", args=[uploaded.pk]))
    task = Task.objects.get()
    assert task.deadline == task.original_deadline == datetime.date(2025, 7, 31)
    assert [a.agency.code for a in task.assignments.filter(role="lead")] == ["BKHCN"]
    assert audit.history(task).get().actor == secretariat
    uploaded.document.refresh_from_db()
    assert uploaded.document.state == Document.State.PUBLISHED


def test_a_correction_naming_an_unknown_agency_or_a_bad_date_is_refused(client, uploaded):
    draft = uploaded.tasks.get(text__contains="Chiến lược")
    client.post(
        reverse("ingest-edit-task", args=[draft.pk]),
        {
            "text": draft.text,
            "lead": "Bộ Không Có",
            "coordinating": "",
            "deadline": "31/07/2025",
            "deadline_text": "",
        },
    )
    draft.refresh_from_db()
    assert not draft.edited and draft.deadline == datetime.date(2025, 6, 30)
    page = client.get(reverse("ingest-review", args=[uploaded.pk])).content.decode()
    assert "Bộ Không Có" in page


def test_rejected_drafts_are_not_published_and_accept_all_skips_tasks_without_a_lead(client, uploaded):
    hanoi_task = uploaded.tasks.get(text__contains="Hà Nội")
    client.post(reverse("ingest-decide", args=["task", hanoi_task.pk]), {"decision": "rejected"})
    orphan = DraftTask.objects.create(extraction=uploaded, position=99, text="Việc không có chủ trì")
    client.post(reverse("ingest-accept-pending", args=[uploaded.pk]))
    orphan.refresh_from_db()
    assert orphan.decision == Decision.PENDING
    client.post(reverse("ingest-publish", args=[uploaded.pk]))
    assert list(Task.objects.values_list("text", flat=True)) == [
        uploaded.tasks.get(text__contains="Chiến lược").text
    ]


def test_publishing_twice_publishes_nothing_twice(client, uploaded):
    client.post(reverse("ingest-accept-pending", args=[uploaded.pk]))
    client.post(reverse("ingest-publish", args=[uploaded.pk]))
    client.post(reverse("ingest-publish", args=[uploaded.pk]))
    assert Task.objects.count() == 2


def test_the_lead_agency_sees_the_published_task_in_its_list(client, uploaded, reporter, outsider):
    client.post(reverse("ingest-accept-pending", args=[uploaded.pk]))
    client.post(reverse("ingest-publish", args=[uploaded.pk]))
    client.force_login(reporter)
    data = client.get(reverse("task-index-json")).json()
    assert [t["deadline"] for t in data["tasks"]] == ["2025-09-30"]
    client.force_login(outsider)
    assert client.get(reverse("task-index-json")).json()["count"] == 0
    assert client.get(reverse("task-index-json"), {"agency": "P01"}).status_code == 403


@pytest.mark.parametrize("who", ["leader", "reporter", "approver", "outsider"])
def test_only_the_secretariat_may_ingest_review_and_publish(client, request, who, uploaded):
    client.force_login(request.getfixturevalue(who))
    draft = uploaded.tasks.first()
    assert _upload(client, b"THONG BAO khac").status_code == 403
    assert client.get(reverse("ingest-review", args=[uploaded.pk])).status_code == 403
    assert client.get(reverse("ingest-review-json", args=[uploaded.pk])).status_code == 403
    assert client.post(reverse("ingest-edit-task", args=[draft.pk]), {"text": "x"}).status_code == 403
    assert (
        client.post(reverse("ingest-decide", args=["task", draft.pk]), {"decision": "accepted"}).status_code
        == 403
    )
    assert client.post(reverse("ingest-accept-pending", args=[uploaded.pk])).status_code == 403
    assert client.post(reverse("ingest-publish", args=[uploaded.pk])).status_code == 403
    assert not Task.objects.exists()
    assert DraftTask.objects.filter(decision=Decision.ACCEPTED).count() == 0
