import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from dxmonitor.directives.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "Send the reminders due on a day: before deadlines, the day after one passes, and the Monday "
        "digest. Idempotent: run twice, nobody is reminded twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="the day to remind for, YYYY-MM-DD (default: today, local time)")

    def handle(self, *args, date=None, **options):
        try:
            day = datetime.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError:
            raise CommandError(f"Ngày không hợp lệ / not a date (YYYY-MM-DD): {date!r}") from None
        counts = send_reminders(day)
        self.stdout.write(
            f"{day.isoformat()}: due {counts['due']}, passed {counts['passed']}, digest {counts['digest']}"
        )
