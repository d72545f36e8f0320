"""Reminders: before a deadline, the day after it passes, and a weekly digest per agency.

Who hears what, and when:
- N days before the deadline in force (each N in settings.REMIND_DAYS), an open task's lead agencies'
  reporters and approvers; a task led by a collective ("các tỉnh, thành phố") reminds its members' people;
- the day after the deadline passed with the task still open, the same people, one message per task; and
  each secretariat user, one message listing every task whose deadline passed that day;
- on Mondays, each agency's people: its tasks (lead or coordinating, its collectives' included) due within
  DIGEST_DAYS and those overdue; an agency with neither gets nothing.
Only tasks of published documents dated by then are followed: a draft is still being reviewed.

Each message has a key naming what it is about and for whom, so running the reminders twice on a day
reminds nobody twice, and an extended deadline reminds again for its new date.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch, Q
from django.urls import reverse

from dxmonitor.accounts.models import AGENCY_ROLES, Role, User
from dxmonitor.agencies.models import Agency
from dxmonitor.agencies.services import COLLECTIVE_MEMBERS
from dxmonitor.core.models import Notification
from dxmonitor.core.notifications import notify
from dxmonitor.directives.models import Document, Task, TaskAgency
from dxmonitor.directives.queries import with_status
from dxmonitor.directives.status import Status

DIGEST_DAYS = 14
# Lines per section of a digest; the link to the task list shows the rest.
DIGEST_LINES = 30
KINDS = ("due", "passed", "digest")


@dataclass
class Message:
    user: User
    kind: str
    key: str
    subject: str
    body: str
    url: str


def send_reminders(today: datetime.date) -> dict[str, int]:
    """Send the reminders due on `today`; returns how many notifications of each kind were new.

    Args:
        today: the local day the reminders are for (a past day re-sends what that day missed, never twice).
    """
    people = _People()
    messages = [*_due(today, people), *_passed(today, people)]
    if today.weekday() == 0:
        messages.extend(_digests(today, people))
    counts = dict.fromkeys(KINDS, 0)
    for message in _new(messages):
        sent = notify(
            message.user,
            kind=message.kind,
            key=message.key,
            subject=message.subject,
            body=message.body,
            url=message.url,
        )
        counts[message.kind] += sent is not None
    return counts


class _People:
    """Active agency reporters and approvers, by agency; a collective's people are its members' people."""

    def __init__(self):
        self.by_agency: dict[int, list[User]] = defaultdict(list)
        self.by_kind: dict[str, list[User]] = defaultdict(list)
        self.agencies: dict[int, Agency] = {}
        users = User.objects.filter(is_active=True, role__in=AGENCY_ROLES, agency__isnull=False)
        for user in users.select_related("agency").order_by("pk"):
            self.by_agency[user.agency_id].append(user)
            self.by_kind[user.agency.kind].append(user)
            self.agencies[user.agency_id] = user.agency

    def of(self, agency: Agency) -> list[User]:
        kinds = COLLECTIVE_MEMBERS.get(agency.code)
        if kinds:
            return [user for kind in sorted(kinds) for user in self.by_kind[kind]]
        return self.by_agency[agency.pk]

    def secretariat(self) -> list[User]:
        return list(
            User.objects.filter(is_active=True)
            .filter(Q(role=Role.SECRETARIAT) | Q(is_superuser=True))
            .order_by("pk")
        )


def _followed(today: datetime.date):
    """Tasks of published documents dated by `today`, with their status as of `today` and agencies."""
    tasks = Task.objects.filter(document__state=Document.State.PUBLISHED).filter(
        Q(document__date__isnull=True) | Q(document__date__lte=today)
    )
    links = Prefetch("assignments", queryset=TaskAgency.objects.select_related("agency").order_by("id"))
    return with_status(tasks, today).prefetch_related(links).order_by("deadline_as_of", "id")


def _leads(task: Task) -> list[Agency]:
    return [link.agency for link in task.assignments.all() if link.role == TaskAgency.Role.LEAD]


def _lead_people(task: Task, people: _People) -> list[User]:
    seen, found = set(), []
    for agency in _leads(task):
        for user in people.of(agency):
            if user.pk not in seen:
                seen.add(user.pk)
                found.append(user)
    return found


def _due(today: datetime.date, people: _People) -> list[Message]:
    ahead = {today + datetime.timedelta(days=n): n for n in settings.REMIND_DAYS if n >= 0}
    tasks = _followed(today).filter(status=Status.IN_PROGRESS, deadline_as_of__in=list(ahead))
    messages = []
    for task in tasks:
        deadline, n = task.deadline_as_of, ahead[task.deadline_as_of]
        url = _task_url(task)
        vi_leads, en_leads = _names(_leads(task))
        subject = (
            f"Nhắc hạn: nhiệm vụ {_label(task)} đến hạn ngày {deadline:%d/%m/%Y} / "
            f"Reminder: task {_label(task)} due {deadline:%d/%m/%Y}"
        )
        body = (
            f"Nhiệm vụ: {_text(task)}\nCơ quan chủ trì: {vi_leads}\n"
            f"Hạn: {deadline:%d/%m/%Y} (còn {n} ngày). Báo cáo tiến độ tại: {url}\n\n"
            f"Task: {_text(task)}\nLead agency: {en_leads}\n"
            f"Deadline: {deadline:%d/%m/%Y} ({_days(n)} left). Report progress at: {url}"
        )
        for user in _lead_people(task, people):
            key = f"due:{task.pk}:{user.agency_id}:{deadline.isoformat()}:{n}:{user.pk}"
            messages.append(Message(user, "due", key, subject, body, url))
    return messages


def _passed(today: datetime.date, people: _People) -> list[Message]:
    deadline = today - datetime.timedelta(days=1)
    tasks = list(_followed(today).filter(status=Status.OVERDUE, deadline_as_of=deadline))
    messages = []
    for task in tasks:
        url = _task_url(task)
        vi_leads, en_leads = _names(_leads(task))
        subject = (
            f"Quá hạn: nhiệm vụ {_label(task)} đã quá hạn ngày {deadline:%d/%m/%Y} / "
            f"Overdue: task {_label(task)} passed its deadline {deadline:%d/%m/%Y}"
        )
        body = (
            f"Nhiệm vụ: {_text(task)}\nCơ quan chủ trì: {vi_leads}\n"
            f"Hạn {deadline:%d/%m/%Y} đã qua mà nhiệm vụ chưa hoàn thành. Báo cáo tiến độ hoặc đề nghị gia hạn "
            f"tại: {url}\n\n"
            f"Task: {_text(task)}\nLead agency: {en_leads}\n"
            f"The deadline {deadline:%d/%m/%Y} has passed and the task is not complete. Report progress or "
            f"request an extension at: {url}"
        )
        for user in _lead_people(task, people):
            key = f"passed:{task.pk}:{deadline.isoformat()}:{user.pk}"
            messages.append(Message(user, "passed", key, subject, body, url))
    if tasks:
        # Deadlines bunch at month and quarter ends: the secretariat gets one list, not hundreds of mails.
        lines = [f"- {_line(task)} · {_names(_leads(task))[0]}" for task in tasks]
        url = (
            reverse("task-index")
            + f"?status={Status.OVERDUE}&deadline_from={deadline}&deadline_to={deadline}"
        )
        subject = (
            f"Quá hạn: {len(tasks)} nhiệm vụ đã quá hạn ngày {deadline:%d/%m/%Y} / "
            f"Overdue: {_tasks(len(tasks))} passed the deadline {deadline:%d/%m/%Y}"
        )
        body = "Nhiệm vụ chưa hoàn thành khi hết hạn / Tasks not complete by the deadline:\n" + "\n".join(
            lines
        )
        for user in people.secretariat():
            key = f"passed-all:{deadline.isoformat()}:{user.pk}"
            messages.append(Message(user, "passed", key, subject, body, url))
    return messages


def _digests(today: datetime.date, people: _People) -> list[Message]:
    horizon = today + datetime.timedelta(days=DIGEST_DAYS)
    tasks = _followed(today).filter(
        Q(status=Status.OVERDUE) | Q(status=Status.IN_PROGRESS, deadline_as_of__lte=horizon)
    )
    by_agency: dict[int, list[tuple[Task, str]]] = defaultdict(list)
    for task in tasks:
        for link in task.assignments.all():
            by_agency[link.agency_id].append((task, link.role))
    collectives = dict(Agency.objects.filter(code__in=COLLECTIVE_MEMBERS).values_list("code", "id"))
    year, week, _ = today.isocalendar()
    messages = []
    for agency_id, agency in sorted(people.agencies.items()):
        covering = [pk for code, pk in collectives.items() if agency.kind in COLLECTIVE_MEMBERS[code]]
        roles: dict[int, tuple[Task, str]] = {}
        for source in (agency_id, *covering):
            for task, role in by_agency.get(source, ()):
                # A task the agency leads itself stays "lead" even if a collective of its also coordinates.
                if task.pk not in roles or role == TaskAgency.Role.LEAD:
                    roles[task.pk] = (task, role)
        ordered = sorted(roles.values(), key=lambda pair: (pair[0].deadline_as_of, pair[0].pk))
        overdue = [pair for pair in ordered if pair[0].status == Status.OVERDUE]
        due = [pair for pair in ordered if pair[0].status == Status.IN_PROGRESS]
        if not overdue and not due:
            continue
        url = reverse("task-index") + f"?agency={agency.code}&collectives=1"
        vi_name, en_name = _names([agency])
        subject = (
            f"Tổng hợp tuần {week}/{year} – {vi_name}: {len(due)} nhiệm vụ sắp đến hạn, {len(overdue)} quá hạn / "
            f"Weekly digest, week {week}/{year} – {en_name}: {_tasks(len(due))} due soon, {len(overdue)} overdue"
        )
        body = "\n".join(
            [
                f"Sắp đến hạn trong {DIGEST_DAYS} ngày tới / Due in the next {DIGEST_DAYS} days: {len(due)}",
                *_digest_lines(due),
                "",
                f"Quá hạn / Overdue: {len(overdue)}",
                *_digest_lines(overdue),
                "",
                f"Danh sách nhiệm vụ / Task list: {url}",
            ]
        )
        for user in people.by_agency[agency_id]:
            key = f"digest:{agency_id}:{year}-W{week:02d}:{user.pk}"
            messages.append(Message(user, "digest", key, subject, body, url))
    return messages


def _digest_lines(pairs: list[tuple[Task, str]]) -> list[str]:
    roles = {TaskAgency.Role.LEAD: "chủ trì / lead", TaskAgency.Role.COORDINATING: "phối hợp / coordinating"}
    lines = [f"- {_line(task)} ({roles[role]})" for task, role in pairs[:DIGEST_LINES]]
    if len(pairs) > DIGEST_LINES:
        lines.append(
            f"- … và {len(pairs) - DIGEST_LINES} nhiệm vụ khác / and {len(pairs) - DIGEST_LINES} more"
        )
    return lines


def _new(messages: list[Message]) -> list[Message]:
    """The messages whose key is unused, found in a few queries; notify() still settles any race."""
    existing = set()
    keys = [message.key for message in messages]
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        existing.update(Notification.objects.filter(key__in=chunk).values_list("key", flat=True))
    return [message for message in messages if message.key not in existing]


def _task_url(task: Task) -> str:
    return reverse("task-detail", args=[task.pk])


def _text(task: Task) -> str:
    return " ".join(f"{task.clause} {task.text}".split())


def _label(task: Task, limit: int = 80) -> str:
    text = _text(task)
    return f"“{text}”" if len(text) <= limit else f"“{text[: limit - 1].rstrip()}…”"


def _line(task: Task) -> str:
    return f"{task.deadline_as_of:%d/%m/%Y} · {_label(task)} · {_task_url(task)}"


def _names(agencies: list[Agency]) -> tuple[str, str]:
    vi = ", ".join(agency.short_name or agency.name for agency in agencies)
    en = ", ".join(agency.name_en or agency.short_name or agency.name for agency in agencies)
    return vi, en


def _days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"


def _tasks(n: int) -> str:
    return "1 task" if n == 1 else f"{n} tasks"
