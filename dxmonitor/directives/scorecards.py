"""Scorecards: the four statuses counted for a task list, per agency and nationally, as of a date."""

import datetime
from dataclasses import asdict, dataclass, replace

from django.conf import settings
from django.db.models import Count, DateField, Exists, OuterRef, Q, Sum, Value

from dxmonitor.agencies.models import Agency
from dxmonitor.directives.models import Document, ProgressReport, Task, TaskAgency
from dxmonitor.directives.queries import DaysBetween, deadline_in_force, status_case
from dxmonitor.directives.services import TaskFilter, task_list
from dxmonitor.directives.status import Status

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


def _group_sum(groups: dict, status: Status, key: str) -> int:
    return (groups[status][key] or 0) if status in groups else 0


def stale_days() -> int:
    return settings.STALE_DAYS


def scorecard(user, filters: TaskFilter) -> Scorecard:
    """Counts for exactly the tasks the list with these filters shows (its status filter aside)."""
    tasks = task_list(user, filters, with_status_filter=False)
    as_of = filters.as_of
    cutoff = as_of - datetime.timedelta(days=stale_days())
    # Stale: the last report up to as_of (or, with none, the document's date) is older than the cutoff.
    # Written with two uncorrelated sets of tasks, each read once, rather than a subquery per task.
    reports = ProgressReport.objects.filter(reported_on__lte=as_of)
    recent = reports.filter(reported_on__gte=cutoff).values("task_id")
    # Only a task whose document is recent (or undated) can owe its staleness to an old report.
    earlier = Task.objects.filter(
        Exists(reports.filter(task=OuterRef("pk"), reported_on__lt=cutoff)),
        document__in=Document.objects.filter(Q(date__isnull=True) | Q(date__gte=cutoff)),
    ).values("pk")
    # Open work first (not completed by as_of, as status_on has it): the rest is never stale.
    open_work = Q(completed_on__isnull=True) | Q(completed_on__gt=as_of)
    stale = open_work & ~Q(pk__in=recent) & (Q(document__date__lt=cutoff) | Q(pk__in=earlier))
    # One pass grouped by status, so that each task's status is worked out once; every group also sums
    # what only some need: the stale among open work, the days late of late and overdue work.
    groups = {
        row["status"]: row
        for row in tasks.order_by()
        .values("status")
        .annotate(
            n=Count("pk"),
            stale=Count("pk", filter=stale),
            days_to_completion=Sum(DaysBetween("completed_on", "deadline_as_of")),
            days_to_as_of=Sum(DaysBetween(Value(as_of, DateField()), "deadline_as_of")),
        )
    }
    counts = {status: _group_sum(groups, status, "n") for status in Status}
    on_time, late, overdue = (
        counts[s] for s in (Status.COMPLETED_ON_TIME, Status.COMPLETED_LATE, Status.OVERDUE)
    )
    # As status.days_late: days to completion when completed late, days to as_of while overdue.
    days_late = _group_sum(groups, Status.COMPLETED_LATE, "days_to_completion") + _group_sum(
        groups, Status.OVERDUE, "days_to_as_of"
    )
    return Scorecard(
        total=sum(counts.values()),
        completed_on_time=on_time,
        completed_late=late,
        in_progress=counts[Status.IN_PROGRESS],
        overdue=overdue,
        recurring=counts[Status.RECURRING],
        stale=sum(_group_sum(groups, status, "stale") for status in OPEN),
        on_time_rate=_rate(on_time, late, overdue),
        average_delay_days=round(days_late / (late + overdue), 1) if late + overdue else None,
    )


def ranking(user, filters: TaskFilter) -> list[dict]:
    """Lead agencies with their status counts, best on-time rate first, then fewest overdue.

    Each row counts the tasks the list shows for `agency=<code>&role=lead` with the same other filters.
    """
    tasks = task_list(
        user,
        replace(filters, agency=None, role="", collectives=False),
        with_status_filter=False,
    )
    # Grouped by agency and status, so that each task's status is worked out once.
    links = (
        TaskAgency.objects.filter(role=TaskAgency.Role.LEAD, task__in=tasks.values("pk"))
        .annotate(task_deadline=deadline_in_force(filters.as_of, prefix="task__"))
        .annotate(task_status=status_case(filters.as_of, prefix="task__", deadline="task_deadline"))
        .order_by()
        .values_list("agency", "task_status")
        .annotate(n=Count("task_id"))
    )
    counts: dict[int, dict[str, int]] = {}
    for agency_id, status, n in links:
        counts.setdefault(agency_id, dict.fromkeys(Status, 0))[status] = n
    agencies = Agency.objects.in_bulk(counts)
    rows = []
    for agency_id, by_status in counts.items():
        agency = agencies[agency_id]
        rows.append(
            {
                "code": agency.code,
                "name": agency.name,
                "kind": agency.kind,
                "total": sum(by_status.values()),
                **{status.value: by_status[status] for status in Status},
                "on_time_rate": _rate(
                    by_status[Status.COMPLETED_ON_TIME],
                    by_status[Status.COMPLETED_LATE],
                    by_status[Status.OVERDUE],
                ),
            }
        )
    rows.sort(
        key=lambda r: (-(r["on_time_rate"] if r["on_time_rate"] is not None else -1), r["overdue"], r["name"])
    )
    return rows
