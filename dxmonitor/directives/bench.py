"""`dxmonitor bench tasks`: a national-scale task set, and the time the task list and scorecards take on it.

The data is deterministic for a seed and does not depend on the day it is generated: about a hundred
documents from 2021 to late 2026, each assigning tasks to agencies that existed on its date (the 63
provinces before the 2025 merger, the 34 after), with deadlines, completions, extensions and progress
reports. The operations are timed as the web pages run them, as of the day after that world ends.
"""

import datetime
import hashlib
import random
import time

from django.db import connection, transaction
from django.test import Client

from dxmonitor.accounts.models import Role
from dxmonitor.accounts.services import create_user
from dxmonitor.agencies.models import CENTRAL_KINDS, Agency, AgencyKind
from dxmonitor.core.bench import Result, batches, benchmark, positive_int, summary, timed
from dxmonitor.directives.models import (
    DeadlineExtension,
    Document,
    ProgressReport,
    Session,
    Task,
    TaskAgency,
)
from dxmonitor.directives.scorecards import ranking, scorecard
from dxmonitor.directives.services import TaskFilter, task_list
from dxmonitor.directives.status import Status

# The generated world ends on LAST_DAY and is measured the day after, so that a seed gives the same rows,
# statuses and figures whatever the date the benchmark runs on.
FIRST_DAY = datetime.date(2021, 1, 15)
LAST_DAY = datetime.date(2026, 10, 31)
AS_OF = LAST_DAY + datetime.timedelta(days=1)
# An as-of date with extensions approved after it: the lists must then look deadlines up in history.
PAST_AS_OF = datetime.date(2025, 12, 31)
DOCUMENTS = 100
LEAD_COLLECTIVES = ["ALL_MINISTRIES", "ALL_PROVINCES", "ALL_MINISTRIES_PROVINCES", "RELATED_AGENCIES"]
AGENCIES_ROTATED = 8
BATCH = 2000

VERBS = ["Triển khai", "Hoàn thiện", "Xây dựng", "Kết nối", "Số hóa", "Rà soát", "Báo cáo", "Hướng dẫn"]
OBJECTS = [
    "cơ sở dữ liệu quốc gia về dân cư",
    "dịch vụ công trực tuyến toàn trình",
    "nền tảng tích hợp, chia sẻ dữ liệu",
    "hệ thống thông tin báo cáo",
    "chữ ký số cho người dân",
    "thanh toán không dùng tiền mặt",
    "hạ tầng điện toán đám mây",
    "kho dữ liệu dùng chung",
]


def add_arguments(parser):
    parser.add_argument("--tasks", type=positive_int, default=50000, help="tasks to generate (default 50000)")


@benchmark("tasks", "the task list by agency and by status, and the national scorecard", add_arguments)
def run(options, progress) -> Result:
    start = time.perf_counter()
    rows = generate(options["tasks"], options["seed"])
    generation = time.perf_counter() - start
    progress(
        f"generated {sum(rows.values()):,} rows in {generation:.1f} s "
        f"({sum(rows.values()) / generation:,.0f} rows/s): {rows}"
    )
    if connection.vendor == "postgresql":
        # What autovacuum does shortly after a bulk load: statistics for the planner, and the visibility
        # map that lets it read the covering indexes alone.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    leader = create_user("bench.lanhdao", "bench-" + hashlib.sha256(b"leader").hexdigest(), Role.LEADER)
    result = measure(leader, options["repeat"], options["seed"], progress)
    result.meta.update(
        {
            "rows": rows,
            "generation_s": round(generation, 2),
            "rows_per_s": round(sum(rows.values()) / generation),
        }
    )
    return result


def measure(leader, repeat: int, seed: int, progress) -> Result:
    """Each operation timed `repeat` times as the leader, who sees every agency's tasks."""
    agencies = _rotated_agencies(seed)
    result = Result(meta={"as_of": AS_OF.isoformat(), "agencies": [a.code for a in agencies]})

    def list_page(filters):
        # What the task page evaluates for its list: the count and the first page of 50.
        tasks = task_list(leader, filters).select_related("document").prefetch_related("assignments__agency")
        return tasks.count(), list(tasks[:50])

    def by_agency(i):
        return list_page(TaskFilter(agency=agencies[i % len(agencies)], as_of=AS_OF))

    operations = {"task_list_by_agency": by_agency}
    for status in Status:
        operations[f"task_list_by_status_{status.value}"] = lambda i, s=status: list_page(
            TaskFilter(status=s, as_of=AS_OF)
        )
    operations["national_scorecard"] = lambda i: scorecard(leader, TaskFilter(as_of=AS_OF))
    # Beyond what the issue asks: the ranking table, the whole task page, and a past as-of date.
    operations["extra_ranking"] = lambda i: ranking(leader, TaskFilter(as_of=AS_OF))
    client = Client(HTTP_HOST="localhost")
    client.force_login(leader)

    def http_page(i):
        code = agencies[i % len(agencies)].code
        response = client.get("/tasks/", {"agency": code, "as_of": AS_OF.isoformat()})
        assert response.status_code == 200, response.status_code

    operations["extra_http_task_page_by_agency"] = http_page
    operations["extra_task_list_overdue_as_of_past"] = lambda i: list_page(
        TaskFilter(status=Status.OVERDUE, as_of=PAST_AS_OF)
    )
    operations["extra_national_scorecard_as_of_past"] = lambda i: scorecard(
        leader, TaskFilter(as_of=PAST_AS_OF)
    )
    for name, operation in operations.items():
        result.samples[name] = timed(operation, repeat)
        progress(f"  {name}: p50 {summary(result.samples[name])['p50_ms']:.1f} ms")
    result.meta["past_as_of"] = PAST_AS_OF.isoformat()
    return result


def _rotated_agencies(seed: int) -> list[Agency]:
    """Agencies to list in turn: a sample of those with tasks, the same for a seed."""
    assigned = list(
        Agency.objects.filter(task_assignments__isnull=False)
        .distinct()
        .order_by("code")
        .values_list("pk", flat=True)
    )
    chosen = random.Random(seed).sample(assigned, min(AGENCIES_ROTATED, len(assigned)))
    by_pk = Agency.objects.in_bulk(chosen)
    return [by_pk[pk] for pk in chosen]


def _day_between(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + datetime.timedelta(days=rng.randint(0, max((last - first).days, 0)))


@transaction.atomic
def generate(n: int, seed: int) -> dict[str, int]:
    """Documents, tasks, agency assignments, extensions and progress reports; returns rows per table."""
    rng = random.Random(seed)
    registry = list(Agency.objects.order_by("code"))
    central = [a for a in registry if a.kind in CENTRAL_KINDS]
    provinces = [a for a in registry if a.kind == AgencyKind.PROVINCE]
    collectives = [a for a in registry if a.code in LEAD_COLLECTIVES]

    sessions = Session.objects.bulk_create(
        Session(title=f"Phiên họp thứ {i + 1}", number=i + 1, date=_day_between(rng, FIRST_DAY, LAST_DAY))
        for i in range(DOCUMENTS // 4)
    )
    dates = sorted(_day_between(rng, FIRST_DAY, LAST_DAY) for _ in range(DOCUMENTS))
    documents = Document.objects.bulk_create(
        Document(
            title=f"Thông báo kết luận số {i + 1}/TB-UBQGCĐS",
            number=f"{i + 1}/TB-UBQGCĐS",
            kind=Document.Kind.CONCLUSION if i % 5 else Document.Kind.PLAN,
            date=day,
            session=rng.choice(sessions) if rng.random() < 0.8 else None,
            sha256=hashlib.sha256(f"bench {seed} {i}".encode()).hexdigest(),
            state=Document.State.PUBLISHED,
        )
        for i, day in enumerate(dates)
    )
    pools = {}
    for doc in documents:
        pools[doc.pk] = (
            [a for a in central if a.is_valid_on(doc.date)],
            [a for a in provinces if a.is_valid_on(doc.date)],
            [a for a in collectives if a.is_valid_on(doc.date)],
        )

    # Each task's plan: (task, lead, coordinating, extensions, reports), the task's rows made first.
    plans = []
    weights = [rng.random() + 0.2 for _ in documents]
    for i, doc in enumerate(rng.choices(documents, weights, k=n)):
        plans.append(_plan(rng, i, doc, pools[doc.pk]))
    for batch in batches(plans, BATCH):
        Task.objects.bulk_create([plan[0] for plan in batch])
    assignments = (
        TaskAgency(task=task, agency=agency, role=role)
        for task, lead, coordinating, _, _ in plans
        for agency, role in [(lead, TaskAgency.Role.LEAD)]
        + [(a, TaskAgency.Role.COORDINATING) for a in coordinating]
    )
    extensions = (
        DeadlineExtension(task=task, agency=lead, **fields)
        for task, lead, _, planned, _ in plans
        for fields in planned
    )
    reports = (
        ProgressReport(task=task, agency=lead, **fields)
        for task, lead, _, _, planned in plans
        for fields in planned
    )
    rows = {
        "sessions": len(sessions),
        "documents": len(documents),
        "tasks": n,
        "task_agencies": 0,
        "extensions": 0,
        "progress_reports": 0,
    }
    for key, model, objects in (
        ("task_agencies", TaskAgency, assignments),
        ("extensions", DeadlineExtension, extensions),
        ("progress_reports", ProgressReport, reports),
    ):
        for batch in batches(objects, BATCH):
            model.objects.bulk_create(batch)
            rows[key] += len(batch)
    return rows


def _plan(rng: random.Random, i: int, doc: Document, pools):
    """One task as a notice assigns it and as it went afterwards."""
    central, provinces, collectives = pools
    kind = rng.random()
    lead = rng.choice(central if kind < 0.45 else provinces if kind < 0.92 else collectives)
    others = [a for a in rng.sample(central + provinces, 4) if a != lead]
    coordinating = others[: rng.choices([0, 1, 2, 3], [35, 30, 20, 15])[0]]

    deadline = None
    if rng.random() >= 0.12:  # the rest is recurring work, with no deadline
        reach = rng.choices([(0, 30), (31, 180), (181, 365), (366, 900)], [15, 40, 30, 15])[0]
        deadline = doc.date + datetime.timedelta(days=rng.randint(*reach))
    original = deadline
    extensions = []
    if deadline and rng.random() < 0.10:
        for _ in range(1 if rng.random() < 0.8 else 2):
            decided = min(_day_between(rng, doc.date, deadline), LAST_DAY)
            new = deadline + datetime.timedelta(days=rng.randint(30, 180))
            extensions.append(
                {
                    "old_deadline": deadline,
                    "new_deadline": new,
                    "reason": "Cần thêm thời gian hoàn thiện hồ sơ",
                    "state": DeadlineExtension.State.APPROVED,
                    "decided_on": decided,
                }
            )
            deadline = new
    elif deadline and rng.random() < 0.03:
        extensions.append(
            {
                "old_deadline": deadline,
                "new_deadline": deadline + datetime.timedelta(days=90),
                "reason": "Đề nghị gia hạn",
                "state": rng.choice([DeadlineExtension.State.REQUESTED, DeadlineExtension.State.REJECTED]),
            }
        )

    completed = None
    outcome = rng.random()
    if deadline is None:
        if outcome < 0.10:
            completed = doc.date + datetime.timedelta(days=rng.randint(30, 700))
    elif outcome < 0.55:
        completed = _day_between(rng, doc.date, deadline)
    elif outcome < 0.75:
        completed = deadline + datetime.timedelta(days=rng.randint(1, 240))
    if completed and completed > LAST_DAY:
        completed = None

    last = completed or LAST_DAY
    days = [_day_between(rng, doc.date, last) for _ in range(rng.choice([0, 1, 1, 2, 2, 3, 4, 6]))]
    if not completed and rng.random() < 0.5:  # half the open work reported on lately: the rest is stale
        days.append(_day_between(rng, max(doc.date, LAST_DAY - datetime.timedelta(days=40)), LAST_DAY))
    reports = [{"text": "Đã triển khai, đang tiếp tục thực hiện", "reported_on": day} for day in sorted(days)]
    if completed:
        reports.append(
            {
                "text": "Đã hoàn thành",
                "reported_on": completed,
                "completion": ProgressReport.Completion.DONE,
                "product": "Báo cáo kết quả",
                "review": ProgressReport.Review.CONFIRMED,
            }
        )
    task = Task(
        document=doc,
        clause=f"{i % 9 + 1}.{i % 7 + 1}",
        text=f"{rng.choice(VERBS)} {rng.choice(OBJECTS)} (nhiệm vụ {i + 1})",
        deadline=deadline,
        original_deadline=original,
        deadline_text="Thường xuyên" if deadline is None else "",
        recurrence=Task.Recurrence.YEARLY if deadline is None and rng.random() < 0.3 else "",
        completed_on=completed,
    )
    return task, lead, coordinating, extensions, reports
