import unicodedata

from django.urls import reverse

from dxmonitor.directives.models import Document, Session
from dxmonitor.directives.services import store_document, text_hash
from dxmonitor.ingest.services import load_samples


def test_the_five_samples_load_once_with_their_sessions(registry):
    first = load_samples()
    assert [created for _, created in first] == [True] * 5
    again = load_samples()
    assert [created for _, created in again] == [False] * 5
    assert Document.objects.count() == 5
    assert Session.objects.count() == 5
    eighth = Document.objects.get(date="2024-04-24")
    assert eighth.session.number == 8
    assert "Phiên họp lần thứ 8" in eighth.text
    assert eighth.file.read().decode("utf-8").startswith(" THÔNG BÁO")
    assert eighth.state == Document.State.PUBLISHED
    assert eighth.tasks.exists()


def test_the_same_text_decomposed_or_rewrapped_is_the_same_document(registry):
    text = "Bộ Thông tin và Truyền thông chủ trì\nhoàn thành trong tháng 6 năm 2024."
    document, created = store_document(text, title="A", kind="conclusion")
    variant = unicodedata.normalize("NFD", text).replace("\n", "  \n ")
    again, created_again = store_document(variant, title="B", kind="conclusion")
    assert created and not created_again
    assert again == document
    assert text_hash(text) == text_hash(variant)


def test_documents_are_listed_and_shown_with_json_twins(client, reporter):
    load_samples()
    client.force_login(reporter)
    page = client.get(reverse("document-index")).content.decode()
    assert "Kết luận Phiên họp lần thứ 8" in page
    data = client.get(reverse("document-index-json")).json()
    assert data["count"] == 5
    assert [d["date"] for d in data["documents"]] == sorted(
        (d["date"] for d in data["documents"]), reverse=True
    )
    one = Document.objects.get(date="2024-04-24")
    detail = client.get(reverse("document-detail-json", args=[one.pk])).json()
    assert detail["session"] == "Phiên họp lần thứ 8 của Ủy ban Quốc gia về chuyển đổi số"
    assert "Ủy ban Quốc gia về chuyển đổi số" in detail["text"]


def test_documents_are_not_shown_to_anonymous_visitors(client, registry):
    load_samples()
    one = Document.objects.first()
    assert client.get(reverse("document-detail", args=[one.pk])).status_code == 302
    assert client.get(reverse("document-detail-json", args=[one.pk])).status_code == 401
    assert client.get("/api/v1/documents").status_code == 401
