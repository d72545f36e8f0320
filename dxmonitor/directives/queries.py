"""Task status as of a date, in SQL: the same rules as dxmonitor.directives.status, for lists and counts.

A test checks, case by case, that these expressions and the pure function agree.
"""

import datetime

from django.db import NotSupportedError
from django.db.models import (
    Case,
    CharField,
    DateField,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from dxmonitor.directives.models import DeadlineExtension
from dxmonitor.directives.status import Status


def deadline_in_force(as_of: datetime.date, prefix: str = ""):
    """The deadline that applied on as_of: before a later-approved extension, that extension's old deadline.

    As of today no extension was approved later, and the task's own deadline is the answer: one indexed
    query checks that, and the lists keep a plain column (and its index). As of an earlier day, only the
    tasks in the (small, hashed once) set with later approvals look their extensions up.
    """
    later = DeadlineExtension.objects.filter(state=DeadlineExtension.State.APPROVED, decided_on__gt=as_of)
    if not later.exists():
        return F(f"{prefix}deadline")
    first_later = later.filter(task=OuterRef(f"{prefix}pk")).order_by("decided_on", "id")
    return Case(
        When(
            **{f"{prefix}pk__in": later.values("task_id")},
            then=Coalesce(Subquery(first_later.values("old_deadline")[:1]), F(f"{prefix}deadline")),
        ),
        default=F(f"{prefix}deadline"),
        output_field=DateField(),
    )


def status_case(as_of: datetime.date, prefix: str = "", deadline: str = "deadline_as_of"):
    """A CASE giving the Status value of each row; `deadline` names an annotation of deadline_in_force."""
    completed = Q(**{f"{prefix}completed_on__isnull": False, f"{prefix}completed_on__lte": as_of})
    on_time = Q(**{f"{deadline}__isnull": True}) | Q(**{f"{prefix}completed_on__lte": F(deadline)})
    return Case(
        When(completed & on_time, then=Value(Status.COMPLETED_ON_TIME.value)),
        When(completed, then=Value(Status.COMPLETED_LATE.value)),
        When(**{f"{deadline}__isnull": True}, then=Value(Status.RECURRING.value)),
        When(**{f"{deadline}__gte": as_of}, then=Value(Status.IN_PROGRESS.value)),
        default=Value(Status.OVERDUE.value),
        output_field=CharField(),
    )


def status_bounds(status: str, as_of: datetime.date) -> Q:
    """A looser condition that every task with this status meets, on a column an index can serve.

    Filtering on it besides the CASE changes no result, and lets the database start from the deadline
    index. Only the statuses few tasks have get one: most work is past its deadline or completed, and for
    those statuses reading the whole table beats walking most of an index.
    """
    if status == Status.IN_PROGRESS:
        return Q(deadline_as_of__gte=as_of)
    if status == Status.RECURRING:
        return Q(deadline_as_of__isnull=True)
    return Q()


def with_status(tasks: QuerySet, as_of: datetime.date) -> QuerySet:
    """Tasks annotated with `deadline_as_of` and `status` as of a date."""
    return tasks.annotate(deadline_as_of=deadline_in_force(as_of)).annotate(status=status_case(as_of))


class DaysBetween(Func):
    """Whole days from the second date to the first, in SQL.

    Django's date subtraction calls back into Python for every row on SQLite; julianday() does not.
    """

    arity = 2
    output_field = IntegerField()

    def as_sql(self, compiler, connection, **extra):
        raise NotSupportedError("DaysBetween is written for SQLite and PostgreSQL only")

    def as_sqlite(self, compiler, connection, **extra):
        template = "CAST(julianday(%(expressions)s) AS INTEGER)"
        return super().as_sql(compiler, connection, template=template, arg_joiner=") - julianday(", **extra)

    def as_postgresql(self, compiler, connection, **extra):
        # date - date is a whole number of days in PostgreSQL.
        return super().as_sql(compiler, connection, template="(%(expressions)s)", arg_joiner=" - ", **extra)
