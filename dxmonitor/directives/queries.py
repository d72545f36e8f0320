"""Task status as of a date, in SQL: the same rules as dxmonitor.directives.status, for lists and counts.

A test checks, case by case, that these expressions and the pure function agree.
"""

import datetime

from django.db.models import Case, CharField, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from dxmonitor.directives.models import DeadlineExtension
from dxmonitor.directives.status import Status


def deadline_in_force(as_of: datetime.date, prefix: str = ""):
    """The deadline that applied on as_of: before a later-approved extension, that extension's old deadline."""
    later = DeadlineExtension.objects.filter(
        task=OuterRef(f"{prefix}pk"), state=DeadlineExtension.State.APPROVED, decided_on__gt=as_of
    ).order_by("decided_on", "id")
    return Coalesce(Subquery(later.values("old_deadline")[:1]), F(f"{prefix}deadline"))


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


def with_status(tasks: QuerySet, as_of: datetime.date) -> QuerySet:
    """Tasks annotated with `deadline_as_of` and `status` as of a date."""
    return tasks.annotate(deadline_as_of=deadline_in_force(as_of)).annotate(status=status_case(as_of))
