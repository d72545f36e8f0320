"""Scorecards: the four statuses counted for a task list, per agency and nationally, as of a date."""

import datetime
from dataclasses import asdict, dataclass

from django.conf import settings
from django.db.models import Count, Max, Q
from django.db.models.functions import Coalesce

from dxmonitor.agencies.models import Agency
from dxmonitor.directives.models import TaskAgency
from dxmonitor.directives.queries import deadline_in_force, status_case
from dxmonitor.directives.services import TaskFilter, task_list
from dxmonitor.directives.status import Status, days_late

OPEN = (Status.IN_PROGRESS, Status.OVERDUE, Status.RECURRING)


@dataclass
class Scorecard:
    total: int
    completed_on_time: int
    completed_late: int
    in_progress: int
    overdue: int
    recurring: int
    stale: int
    on_time_rate: float | None
    average_delay_days: float | None

    def as_dict(self) -> dict:
        return asdict(self)


def _rate(on_time: int, late: int, overdue: int) -> float | None:
    # Overdue work counts against the rate: it is late already, only not yet done.
    due = on_time + late + overdue
    return round(100 * on_time / due, 1) if due else None


def stale_days() -> int:
    return settings.STALE_DAYS


def scorecard(user, filters: TaskFilter) -> Scorecard:
    """Counts for exactly the tasks the list with these filters shows (its status filter aside)."""
    tasks = task_list(user, filters, with_status_filter=False)
    counts = dict(tasks.order_by().values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    delays = [
        days_late(deadline, completed_on, filters.as_of)
        for deadline, completed_on in tasks.filter(status__in=[Status.COMPLETED_LATE, Status.OVERDUE])
        .order_by()
        .values_list("deadline_as_of", "completed_on")
    ]
    cutoff = filters.as_of - datetime.timedelta(days=stale_days())
    stale = (
        tasks.filter(status__in=OPEN)
        .annotate(last_report=Max("reports__reported_on", filter=Q(reports__reported_on__lte=filters.as_of)))
        .annotate(since=Coalesce("last_report", "document__date"))
        .filter(since__lt=cutoff)
        .count()
    )
    on_time, late, overdue = (
        counts.get(s, 0) for s in (Status.COMPLETED_ON_TIME, Status.COMPLETED_LATE, Status.OVERDUE)
    )
    return Scorecard(
        total=sum(counts.values()),
        completed_on_time=on_time,
        completed_late=late,
        in_progress=counts.get(Status.IN_PROGRESS, 0),
        overdue=overdue,
        recurring=counts.get(Status.RECURRING, 0),
        stale=stale,
        on_time_rate=_rate(on_time, late, overdue),
        average_delay_days=round(sum(delays) / len(delays), 1) if delays else None,
    )


def ranking(user, filters: TaskFilter) -> list[dict]:
    """Lead agencies with their status counts, best on-time rate first, then fewest overdue.

    Each row counts the tasks the list shows for `agency=<code>&role=lead` with the same other filters.
    """
    tasks = task_list(
        user,
        TaskFilter(**{**filters.__dict__, "agency": None, "role": "", "collectives": False}),
        with_status_filter=False,
    )
    links = (
        TaskAgency.objects.filter(role=TaskAgency.Role.LEAD, task__in=tasks.values("pk"))
        .annotate(task_deadline=deadline_in_force(filters.as_of, prefix="task__"))
        .annotate(task_status=status_case(filters.as_of, prefix="task__", deadline="task_deadline"))
        .order_by()
        .values("agency")
        .annotate(
            total=Count("task_id"),
            **{status.value: Count("task_id", filter=Q(task_status=status.value)) for status in Status},
        )
    )
    agencies = Agency.objects.in_bulk([row["agency"] for row in links])
    rows = []
    for row in links:
        agency = agencies[row["agency"]]
        rows.append(
            {
                "code": agency.code,
                "name": agency.name,
                "kind": agency.kind,
                "total": row["total"],
                **{status.value: row[status.value] for status in Status},
                "on_time_rate": _rate(row["completed_on_time"], row["completed_late"], row["overdue"]),
            }
        )
    rows.sort(
        key=lambda r: (-(r["on_time_rate"] if r["on_time_rate"] is not None else -1), r["overdue"], r["name"])
    )
    return rows
