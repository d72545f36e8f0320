import datetime
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from dxmonitor.agencies import services
from dxmonitor.agencies.api import AgencyOut
from dxmonitor.agencies.models import AgencyKind


def iso_date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"Ngày không hợp lệ / not a date (YYYY-MM-DD): {text!r}") from None


class Command(BaseCommand):
    help = "List agencies valid on a date, or (with --successor) where an agency's work went."

    def add_arguments(self, parser):
        parser.add_argument("--on", type=iso_date, default=None, help="date, YYYY-MM-DD")
        parser.add_argument("--kind", choices=AgencyKind.values)
        parser.add_argument("--successor", metavar="NAME", help="an agency's name, short name, alias or code")
        parser.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, *args, on, kind, successor, format, **options):
        on = on or timezone.localdate()
        if successor:
            rows = self._successors(successor, on)
        else:
            rows = [AgencyOut.from_orm(a).model_dump(mode="json") for a in services.agencies_on(on, kind)]
        if format == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1))
            return
        for row in rows:
            prefix = f"{row['from']} → " if "from" in row else ""
            self.stdout.write(f"{prefix}{row['code']:<10} {row['kind']:<18} {row['name']}")
        if not successor:
            self.stdout.write(f"{len(rows)} agencies valid on {on.isoformat()}")

    def _successors(self, name: str, on: datetime.date) -> list[dict]:
        from dxmonitor.agencies.models import Agency

        found = list(Agency.objects.filter(code=name)) or services.find_agencies(name)
        if not found:
            raise CommandError(f"Không tìm thấy cơ quan / no agency known as {name!r}")
        # A name worn before and after a change (Tỉnh Tuyên Quang) means the older agency when asking
        # where work went; each successor is printed once.
        found.sort(key=lambda a: a.valid_to or datetime.date.max)
        rows, seen = [], set()
        for agency in found:
            for successor in services.successors(agency, on):
                if successor.code not in seen:
                    seen.add(successor.code)
                    rows.append(
                        {"from": agency.code, **AgencyOut.from_orm(successor).model_dump(mode="json")}
                    )
        return rows
