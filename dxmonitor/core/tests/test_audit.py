import datetime

from dxmonitor.core import audit
from dxmonitor.core.models import AuditEntry
from dxmonitor.directives.models import Document, Task


def _task(registry):
    document = Document.objects.create(
        title="Thông báo thử", sha256="x" * 64, date=datetime.date(2024, 4, 24)
    )
    return Task.objects.create(
        document=document, text="Hoàn thiện Đề án", deadline=datetime.date(2024, 6, 30)
    )


def test_it_keeps_who_when_before_and_after(registry, secretariat):
    task = _task(registry)
    before = audit.snapshot(task)
    task.deadline = datetime.date(2024, 9, 30)
    task.save()
    entry = audit.record(task, secretariat, AuditEntry.Action.UPDATE, before, audit.snapshot(task), "gia hạn")
    assert entry.actor == secretariat
    assert entry.before["deadline"] == "2024-06-30"
    assert entry.after["deadline"] == "2024-09-30"
    assert entry.changed_fields() == ["deadline"]
    assert list(audit.history(task)) == [entry]


def test_an_update_that_changes_nothing_leaves_no_entry(registry, secretariat):
    task = _task(registry)
    snap = audit.snapshot(task)
    assert audit.record(task, secretariat, AuditEntry.Action.UPDATE, snap, snap) is None
    assert not audit.history(task).exists()


def test_edits_in_the_admin_are_audited_too(client, registry, secretariat):
    task = _task(registry)
    client.force_login(secretariat)
    url = f"/admin/directives/task/{task.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k not in {"agencies"}}
    data.update({"document": task.document_id, "deadline": "2024-12-31", "text": task.text})
    data.update({"assignments-TOTAL_FORMS": 0, "assignments-INITIAL_FORMS": 0})
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = audit.history(task).get()
    assert entry.actor == secretariat
    assert (entry.before["deadline"], entry.after["deadline"]) == ("2024-06-30", "2024-12-31")
