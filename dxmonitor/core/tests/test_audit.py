import datetime
import json

import pytest

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


def test_the_database_builds_the_same_snapshot(registry):
    """snapshot_sql (audit entries written in bulk) gives what snapshot() gives, value for value."""
    from django.db import connection

    from dxmonitor.agencies.models import Agency
    from dxmonitor.indicators.models import Indicator, Observation

    indicator = Indicator.objects.create(code="T.1", name="Tỷ lệ thử", unit="%")
    agency = Agency.objects.get(code="P01")
    moments = [
        datetime.datetime(2026, 3, 1, 8, 30, 0, tzinfo=datetime.UTC),
        datetime.datetime(2026, 3, 1, 8, 30, 5, 123456, tzinfo=datetime.UTC),
        datetime.datetime(2026, 3, 1, 8, 30, 5, 999, tzinfo=datetime.UTC),
    ]
    rows = []
    for n, (done, moment) in enumerate(zip([True, False, None], moments, strict=True)):
        rows.append(
            Observation.objects.create(
                indicator=indicator,
                agency=agency,
                period=f"{2020 + n}",
                period_kind="year",
                period_start=datetime.date(2020 + n, 1, 1),
                period_end=datetime.date(2020 + n, 12, 31),
                value=[72.5, 100.0, 33.3333][n],
                numerator=[145.0, None, 1.0][n],
                done=done,
                done_on=datetime.date(2026, 2, 28) if done else None,
                text="Hà Nội: 72,5 %",
                submitted_at=moment,
                approved_at=None if n else moment,
            )
        )
    table = connection.ops.quote_name(Observation._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT o.id, {audit.snapshot_sql(Observation, 'o')} FROM {table} o ORDER BY o.id")
        built = {
            pk: json.loads(value) if isinstance(value, str) else value for pk, value in cursor.fetchall()
        }
    for row in rows:
        row.refresh_from_db()
        assert built[row.pk] == audit.snapshot(row)
    assert built[rows[0].pk]["done"] is True and built[rows[1].pk]["done"] is False
    assert built[rows[0].pk]["submitted_at"] == "2026-03-01T08:30:00Z"
    assert built[rows[1].pk]["submitted_at"] == "2026-03-01T08:30:05.123Z"
    assert built[rows[2].pk]["submitted_at"] == "2026-03-01T08:30:05.000Z"


def test_a_model_with_many_to_many_fields_has_no_database_snapshot():
    from dxmonitor.indicators.models import Indicator

    with pytest.raises(ValueError, match="many-to-many"):
        audit.snapshot_sql(Indicator, "i")
