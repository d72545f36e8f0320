import os
import socket
import time

from django.core.management.base import BaseCommand
from django_tasks_db.compat import DEFAULT_TASK_BACKEND_ALIAS
from django_tasks_db.management.commands.db_worker import Worker, valid_interval

from dxmonitor.directives.jobs import schedule_reminders


class Command(BaseCommand):
    help = (
        "Run background jobs (django-tasks, database backend) and the daily reminder schedule, in a loop; "
        "--once does one pass and exits (for cron and tests)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="one pass: schedule, run what is due, exit")
        parser.add_argument(
            "--interval", type=valid_interval, default=5.0, help="seconds between passes (default: 5)"
        )

    def handle(self, *args, once=False, interval=5.0, verbosity=1, **options):
        # django-tasks-db's own worker, in batch mode: it runs every ready job, then returns to our loop.
        worker = Worker(
            queue_names=["*"],
            excluded_queue_names=[],
            interval=0,
            batch=True,
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=False,
            max_tasks=None,
            worker_id=f"{socket.gethostname()}-{os.getpid()}"[:64],
        )
        if not once:
            # Ctrl-C or SIGTERM between jobs stops at once; during a job, after it.
            worker.configure_signals()
        while worker.running:
            if schedule_reminders() and verbosity:
                self.stdout.write("Đã xếp lịch nhắc hạn hôm nay / today's reminders enqueued")
            worker.run()
            if once:
                break
            time.sleep(interval)
