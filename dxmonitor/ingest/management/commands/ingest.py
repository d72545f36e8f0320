from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dxmonitor.ingest import services
from dxmonitor.ingest.reading import ReadError


class Command(BaseCommand):
    help = "Store a notice (TXT, DOCX, PDF) and its extracted tasks and indicators as drafts for review."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--publish", action="store_true", help="accept every draft and publish at once")

    def handle(self, *args, files, publish, **options):
        failed = False
        for name in files:
            path = Path(name)
            if not path.is_file():
                raise CommandError(f"Không tìm thấy tệp / no such file: {name}")
            try:
                extraction, created = services.ingest(path.read_bytes(), path.name)
            except ReadError as error:
                self.stderr.write(f"{path.name}: {error.message_vi} / {error.message_en}")
                failed = True
                continue
            state = "mới / new" if created else "đã có / already ingested"
            self.stdout.write(
                f"{path.name}: {extraction.tasks.count()} nhiệm vụ / tasks, "
                f"{extraction.indicators.count()} chỉ tiêu / indicators ({state}) — review #{extraction.pk}"
            )
            if publish:
                services.accept_pending(extraction, None)
                counts = services.publish(extraction, None)
                self.stdout.write(f"  published: {counts}")
        if failed:
            raise CommandError("Có tệp không đọc được / some files could not be read")
