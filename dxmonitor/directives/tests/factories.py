"""Tasks made the way publishing makes them, for the tracking tests."""

import datetime
import itertools

from dxmonitor.directives.models import Document, Task, TaskAgency

_n = itertools.count()


def document(date=datetime.date(2024, 4, 24)) -> Document:
    n = next(_n)
    return Document.objects.create(title=f"Thông báo {n}", sha256=f"{n:064d}", date=date, state="published")


def task(lead, *, doc=None, deadline=None, completed_on=None, coordinating=(), text="Nhiệm vụ") -> Task:
    t = Task.objects.create(
        document=doc or document(),
        text=text,
        deadline=deadline,
        original_deadline=deadline,
        completed_on=completed_on,
    )
    leads = lead if isinstance(lead, list | tuple) else [lead]
    TaskAgency.objects.bulk_create(
        [TaskAgency(task=t, agency=a, role="lead") for a in leads]
        + [TaskAgency(task=t, agency=a, role="coordinating") for a in coordinating]
    )
    return t
