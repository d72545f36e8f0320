"""Background jobs of the directives app (django-tasks): the daily reminders and their schedule."""

import datetime

from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from dxmonitor.directives.reminders import send_reminders

# Reminders go out in the morning, local time, when officers read their mail.
REMIND_AT = datetime.time(7, 0)


@task()
def send_reminders_job(day: str = "") -> dict[str, int]:
    """The reminders for a day (ISO date; today, local time, by default)."""
    return send_reminders(datetime.date.fromisoformat(day) if day else timezone.localdate())


def schedule_reminders(now: datetime.datetime | None = None) -> bool:
    """Enqueue today's reminders once, from REMIND_AT local time on; True when it enqueued them.

    The queue itself is the state: a reminder job enqueued since local midnight means today is done. Two
    workers racing may both enqueue; the reminders are idempotent, so nobody hears twice.
    """
    local = timezone.localtime(now)
    if local.time() < REMIND_AT:
        return False
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    if DBTaskResult.objects.filter(
        task_path=send_reminders_job.module_path, enqueued_at__gte=midnight
    ).exists():
        return False
    send_reminders_job.enqueue()
    return True
