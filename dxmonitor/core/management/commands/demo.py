import json
import secrets

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from dxmonitor.accounts.models import Role, User
from dxmonitor.accounts.services import create_user
from dxmonitor.agencies.models import Agency
from dxmonitor.agencies.services import load_agencies
from dxmonitor.events.services import load_demo_events
from dxmonitor.indicators.demo import load_demo_round
from dxmonitor.ingest.services import load_samples

# One account per role. Agencies: Hà Nội (a province that kept its borders in 2025) and the Ministry of
# Science and Technology (which took over the Ministry of Information and Communications' work).
DEMO_USERS = [
    ("thuky", Role.SECRETARIAT, None, "Thư ký Ủy ban"),
    ("lanhdao", Role.LEADER, None, "Lãnh đạo"),
    ("hanoi.baocao", Role.REPORTER, "P01", "Cán bộ báo cáo Hà Nội"),
    ("hanoi.duyet", Role.APPROVER, "P01", "Lãnh đạo duyệt Hà Nội"),
    ("bkhcn.baocao", Role.REPORTER, "BKHCN", "Cán bộ báo cáo Bộ KH&CN"),
]


class Command(BaseCommand):
    help = (
        "Create or refresh the demo: database, agencies, sample notices, one login per role, a synthetic "
        "quarterly reporting round and synthetic dossier events; then serve."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="set up only, do not start the server")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *args, no_serve, port, host, **options):
        self.stdout.write(f"Thư mục dữ liệu / data directory: {settings.DATA_DIR}")
        call_command("migrate", interactive=False, verbosity=0)
        counts = load_agencies()
        self.stdout.write(f"Cơ quan / agencies: {counts['agencies']}")
        extractions = load_samples()
        added = sum(1 for _, created in extractions if created)
        self.stdout.write(f"Văn bản mẫu / sample documents: {len(extractions)} ({added} mới / new)")
        tasks = sum(e.tasks.filter(task__isnull=False).count() for e, _ in extractions)
        indicators = sum(e.indicators.filter(indicator__isnull=False).count() for e, _ in extractions)
        self.stdout.write(
            f"Nhiệm vụ, chỉ tiêu đã công bố / published tasks, indicators: {tasks}, {indicators}"
        )
        logins = self._users()
        # Made-up values on top of the notices, marked as such wherever they show (docs/DESIGN.md).
        c = load_demo_round(User.objects.get(username="thuky"))
        self.stdout.write(
            f"Kỳ báo cáo minh họa / synthetic reporting round: {c['rounds']} kỳ / rounds, "
            f"{c['indicators']} chỉ tiêu / indicators, {c['agencies']} cơ quan / agencies; "
            f"{c['observations']} giá trị / values ({c['approved']} đã duyệt / approved, "
            f"{c['submitted']} chờ duyệt / submitted, {c['draft']} nháp / draft, {c['returned']} trả lại / returned)"
        )
        events = load_demo_events()
        self.stdout.write(
            f"Hồ sơ TTHC minh họa / synthetic dossier events: {events.rows} ({events.new} mới / new), "
            f"{len(events.months)} tháng tính lại / months recomputed"
        )
        self.stdout.write("\nTài khoản demo / demo logins:")
        for username, password, role, agency in logins:
            self.stdout.write(f"  {username:<14} {password:<22} {role}{' · ' + agency if agency else ''}")
        if no_serve:
            return
        self.stdout.write("")
        call_command("serve", host=host, port=port)

    @transaction.atomic
    def _users(self) -> list[tuple[str, str, str, str]]:
        # Passwords are made once per data directory and kept beside the database, so every run prints
        # logins that work, and no two demo installations share them.
        store = settings.DATA_DIR / "demo-logins.json"
        passwords = json.loads(store.read_text()) if store.exists() else {}
        rows = []
        for username, role, agency_code, full_name in DEMO_USERS:
            password = passwords.setdefault(username, "demo-" + secrets.token_urlsafe(9))
            agency = Agency.objects.get(code=agency_code) if agency_code else None
            user = User.objects.filter(username=username).first()
            if user is None:
                first, _, last = full_name.rpartition(" ")
                user = create_user(username, password, role, agency, first_name=first, last_name=last)
            else:
                user.set_password(password)
                user.is_active = True
                user.save(update_fields=["password", "is_active"])
            rows.append((username, password, user.get_role_display(), agency.name if agency else ""))
        store.write_text(json.dumps(passwords, indent=1))
        store.chmod(0o600)
        return rows
