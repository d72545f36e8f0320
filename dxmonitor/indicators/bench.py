"""`dxmonitor bench indicators`: a national-scale indicator set, and the time its page and figures take.

The data is the same for a seed: --indicators indicators (the formulas in turn: reported value, ratio,
sum, mean, share of agencies), each with a definition (a tenth with a second version two years before
the end), a lead ministry and a national target per year, and the approved values of --provinces
provinces and --ministries ministries for each of the --months months ending with the current one, each
with its approval in the audit trail. A reported-value indicator also has the nation's own value. Only
the months' labels depend on the day it runs.

A value is reported by the agency that existed in its month: before 2025-07-01 a merged province reports
through one of the provinces it was formed from, so there are (provinces + ministries) values per
indicator and month and none held by an agency that did not exist.

Timed: the recomputation of every national figure, from nothing (each written and audited) and again
with nothing changed; the indicator page as the secretariat opens it; the indicator's series alone.
"""

import datetime
import hashlib
import random
import time

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Max
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dxmonitor.accounts.models import Role
from dxmonitor.accounts.services import create_user
from dxmonitor.agencies.models import CENTRAL_KINDS, Agency, AgencyKind, Succession
from dxmonitor.agencies.reference import NATION_CODE
from dxmonitor.core.bench import Result, batches, benchmark, positive_int, summary, timed
from dxmonitor.core.models import AuditEntry
from dxmonitor.core.periods import Period
from dxmonitor.indicators import figures, formulas
from dxmonitor.indicators.models import Indicator, IndicatorDefinition, Observation, Target
from dxmonitor.indicators.services import in_force, period_fields

BATCH = 5000
# The formulas in turn: indicator i has FORMULAS[i % 5].
FORMULAS = [formulas.VALUE, formulas.RATIO, formulas.SUM, formulas.MEAN, formulas.SHARE_OF_AGENCIES]
UNITS = {
    formulas.VALUE: "%",
    formulas.RATIO: "%",
    formulas.SUM: "hồ sơ",
    formulas.MEAN: "điểm",
    formulas.SHARE_OF_AGENCIES: "%",
}
GROUPS = [choice.value for choice in Indicator.Group]
NAMES = [
    "Tỷ lệ hồ sơ giải quyết trực tuyến toàn trình",
    "Số hồ sơ tiếp nhận trên Cổng Dịch vụ công quốc gia",
    "Chỉ số chuyển đổi số cấp bộ, cấp tỉnh",
    "Tỷ lệ cơ quan đã kết nối nền tảng tích hợp, chia sẻ dữ liệu",
    "Tỷ lệ dân số trưởng thành có chữ ký số",
    "Tỷ lệ thanh toán trực tuyến trên dịch vụ công",
]
# Timed runs of the whole recomputation, which takes seconds where a page takes milliseconds.
RECOMPUTE_REPEAT = 5


def add_arguments(parser):
    parser.add_argument(
        "--indicators", type=positive_int, default=200, help="indicators to generate (default 200)"
    )
    parser.add_argument(
        "--provinces", type=positive_int, default=34, help="provinces reporting each one (default 34)"
    )
    parser.add_argument(
        "--ministries", type=positive_int, default=20, help="ministries reporting each one (default 20)"
    )
    parser.add_argument(
        "--months", type=positive_int, default=60, help="months of values, to the current one (default 60)"
    )
    parser.add_argument(
        "--recompute-repeat",
        type=positive_int,
        default=RECOMPUTE_REPEAT,
        help=f"timed runs of the full recomputation, first and unchanged (default {RECOMPUTE_REPEAT})",
    )


@benchmark(
    "indicators",
    "the indicator detail page, its series and the national figures' recomputation",
    add_arguments,
)
def run(options, progress) -> Result:
    months = _months(timezone.localdate(), options["months"])
    start = time.perf_counter()
    rows = generate(
        options["indicators"], options["provinces"], options["ministries"], months, options["seed"]
    )
    generation = time.perf_counter() - start
    total = sum(rows.values())
    progress(f"generated {total:,} rows in {generation:.1f} s ({total / generation:,.0f} rows/s): {rows}")
    if connection.vendor == "postgresql":
        # What autovacuum does shortly after a bulk load: statistics for the planner.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    secretariat = create_user(
        "bench.thuky", "bench-" + hashlib.sha256(b"secretariat").hexdigest(), Role.SECRETARIAT
    )
    result = measure(secretariat, options, progress)
    result.meta.update(
        {
            "rows": rows,
            "months": [months[0].code, months[-1].code],
            "generation_s": round(generation, 2),
            "rows_per_s": round(total / generation),
        }
    )
    return result


def measure(user, options, progress) -> Result:
    """The detail page and the series for random indicators; the recomputation, first and unchanged."""
    rng = random.Random(options["seed"])
    codes = list(Indicator.objects.order_by("code").values_list("code", flat=True))
    indicators = Indicator.objects.in_bulk(codes, field_name="code")
    result = Result()
    repeat, recompute_repeat = options["repeat"], options["recompute_repeat"]

    # First the recomputation from nothing, every national figure written and audited; then again with
    # nothing changed. Before each first run, what the previous one wrote goes (untimed).
    last_audit = AuditEntry.objects.aggregate(last=Max("pk"))["last"] or 0
    outcomes = {}

    def recompute(name):
        outcomes[name] = figures.recompute_national_figures()

    result.samples["recompute_national_figures_first"] = timed(
        lambda i: recompute("recompute_first"),
        recompute_repeat,
        before=lambda: _forget_national_figures(last_audit),
    )
    _progress(progress, result, "recompute_national_figures_first")
    result.samples["recompute_national_figures_unchanged"] = timed(
        lambda i: recompute("recompute_unchanged"), recompute_repeat
    )
    _progress(progress, result, "recompute_national_figures_unchanged")
    result.meta.update(outcomes)

    # The page reads the figures the recomputation stored, as it would in an installation.
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)

    def detail(i):
        response = client.get(reverse("indicator-detail", args=[rng.choice(codes)]))
        assert response.status_code == 200, response.status_code

    result.samples["indicator_detail"] = timed(detail, repeat)
    _progress(progress, result, "indicator_detail")
    result.samples["indicator_series"] = timed(
        lambda i: figures.indicator_series(indicators[rng.choice(codes)]), repeat
    )
    _progress(progress, result, "indicator_series")
    return result


def _progress(progress, result: Result, name: str):
    figure = summary(result.samples[name])
    progress(f"  {name}: p50 {figure['p50_ms']:.1f} ms, p95 {figure['p95_ms']:.1f} ms")


def _forget_national_figures(last_audit: int):
    """Back to before the first recomputation: no computed national rows, no audit entry after last_audit."""
    with transaction.atomic():
        nation = Agency.objects.get(code=NATION_CODE)
        computed = Observation.objects.filter(agency=nation, source=Observation.Source.COMPUTED)
        computed._raw_delete(connection.alias)
        AuditEntry.objects.filter(pk__gt=last_audit)._raw_delete(connection.alias)


def _months(today: datetime.date, n: int) -> list[Period]:
    """The n months ending with today's, oldest first."""
    month = Period.of("month", today)
    found = [month]
    for _ in range(n - 1):
        month = month.previous()
        found.append(month)
    return found[::-1]


def reporters(provinces: int, ministries: int, day: datetime.date) -> list[Agency]:
    """The first provinces and central agencies in existence on day: those there throughout first, then
    ministries before ministry-level and government agencies, by code."""

    def chosen(kinds, n):
        current = Agency.objects.valid_on(day).filter(kind__in=kinds)
        # Those that existed before the 2025 reorganisations report for every month themselves.
        return sorted(current, key=lambda a: (a.valid_from is not None, kinds.index(a.kind), a.code))[:n]

    return chosen([AgencyKind.PROVINCE], provinces) + chosen(list(CENTRAL_KINDS), ministries)


def holders(agencies: list[Agency], months: list[Period]) -> dict[int, list[Agency]]:
    """Per agency id, who reported for it in each month: itself, or before it existed a predecessor.

    The predecessor merged into it (or renamed to it) before one it only took work from, the one whose
    name it kept first; never one that already reports for another agency that month. When there is
    none, the agency itself reports, existing or not: the row count is what the load test is about.
    """
    links = {}
    for link in Succession.objects.filter(successor__in=agencies).select_related("predecessor"):
        links.setdefault(link.successor_id, []).append(link)
    found = {agency.pk: [] for agency in agencies}
    for month in months:
        taken = {a.pk for a in agencies if a.is_valid_on(month.end)}
        for agency in agencies:
            holder = agency
            if not agency.is_valid_on(month.end):
                ranked = sorted(
                    links.get(agency.pk, []),
                    key=lambda link, a=agency: (
                        link.kind == Succession.Kind.SPLIT_INTO,
                        link.predecessor.short_name != a.short_name,
                        link.predecessor.code,
                    ),
                )
                holder = next(
                    (
                        link.predecessor
                        for link in ranked
                        if link.predecessor.is_valid_on(month.end) and link.predecessor.pk not in taken
                    ),
                    agency,
                )
                taken.add(holder.pk)
            found[agency.pk].append(holder)
    return found


@transaction.atomic
def generate(n: int, provinces: int, ministries: int, months: list[Period], seed: int) -> dict[str, int]:
    """Indicators, definitions, targets and approved values; returns rows per table."""
    rng = random.Random(seed)
    nation = Agency.objects.get(code=NATION_CODE)
    agencies = reporters(provinces, ministries, months[-1].end)
    held = holders(agencies, months)
    leads = [a for a in agencies if a.kind in CENTRAL_KINDS] or agencies
    now = timezone.now()

    indicators = Indicator.objects.bulk_create(
        Indicator(
            code=f"B.{i + 1:03d}",
            name=f"{NAMES[i % len(NAMES)]} (chỉ tiêu {i + 1})",
            group=GROUPS[i % len(GROUPS)],
            unit=UNITS[FORMULAS[i % len(FORMULAS)]],
            frequency="month",
        )
        for i in range(n)
    )
    Indicator.lead.through.objects.bulk_create(
        Indicator.lead.through(indicator=indicator, agency=leads[i % len(leads)])
        for i, indicator in enumerate(indicators)
    )
    definitions = [
        IndicatorDefinition(indicator=indicator, version=1, formula=FORMULAS[i % len(FORMULAS)])
        for i, indicator in enumerate(indicators)
    ]
    # A tenth of the indicators changed how they are computed two years before the end: same formula,
    # a new version, so that the figures pick the definition in force for each period.
    changed_on = months[max(len(months) - 24, 0)].start
    definitions += [
        IndicatorDefinition(
            indicator=indicator, version=2, valid_from=changed_on, formula=FORMULAS[i % len(FORMULAS)]
        )
        for i, indicator in enumerate(indicators)
        if i % 10 == 9
    ]
    definitions = IndicatorDefinition.objects.bulk_create(definitions)
    versions = {}
    for d in sorted(definitions, key=lambda d: -d.version):
        versions.setdefault(d.indicator_id, []).append(d)

    years = sorted({m.year for m in months})
    targets = Target.objects.bulk_create(
        Target(
            indicator=indicator,
            agency=nation,
            comparator=Target.Comparator.AT_LEAST,
            value=_target(FORMULAS[i % len(FORMULAS)], len(agencies), rng),
            **period_fields(Period("year", year)),
        )
        for i, indicator in enumerate(indicators)
        for year in years
    )

    def observations():
        for i, indicator in enumerate(indicators):
            formula = FORMULAS[i % len(FORMULAS)]
            for m, month in enumerate(months):
                fields = {
                    "indicator_id": indicator.pk,
                    **period_fields(month),
                    "definition_id": in_force(versions[indicator.pk], month).pk,
                }
                for agency in agencies:
                    yield fields | {"agency_id": held[agency.pk][m].pk} | _values(formula, month, rng)
                if formula == formulas.VALUE:
                    yield fields | {"agency_id": nation.pk} | _values(formula, month, rng)

    written = _insert(Observation, observations(), {**APPROVED, "approved_at": now})
    # Each value's approval in the audit trail, as approving it records one: the page lists the latest.
    audited = _insert(
        AuditEntry,
        (
            {"object_id": str(pk)}
            for pk in list(Observation.objects.filter(indicator__in=indicators).values_list("pk", flat=True))
        ),
        {
            "content_type_id": ContentType.objects.get_for_model(Observation).pk,
            "action": AuditEntry.Action.UPDATE,
            "before": {"state": Observation.State.SUBMITTED},
            "after": {"state": Observation.State.APPROVED},
        },
    )
    return {
        "indicators": len(indicators),
        "definitions": len(definitions),
        "targets": len(targets),
        "observations": written,
        "audit_entries": audited,
        "agencies": len(agencies),
        "months": len(months),
    }


APPROVED = {"state": Observation.State.APPROVED, "source": Observation.Source.REPORTED}


def _insert(model, rows, constant: dict) -> int:
    """Insert rows ({attname: value}, the rest of the fields their default or `constant`) in batches.

    Plain parameterised INSERTs: bulk_create prepares each value of each field through the ORM, which
    makes it ten times slower at hundreds of thousands of rows of thirty fields.
    """
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    defaults = {}
    for f in fields:
        stamped = getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        value = constant.get(f.attname, now if stamped else f.get_default())
        defaults[f.attname] = f.get_db_prep_save(value, connection)
    quote = connection.ops.quote_name
    table, columns = quote(model._meta.db_table), ", ".join(quote(f.column) for f in fields)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
    names, written = [f.attname for f in fields], 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: PostgreSQL's bulk load, several times faster than row-by-row INSERTs.
            copy = f"COPY {table} ({columns}) FROM STDIN"
            with cursor.cursor.copy(copy) as stream:
                for row in rows:
                    stream.write_row([(defaults | row)[name] for name in names])
                    written += 1
            return written
        for batch in batches(rows, BATCH):
            cursor.executemany(sql, [tuple((defaults | row)[name] for name in names) for row in batch])
            written += len(batch)
    return written


def _target(formula: str, agencies: int, rng: random.Random) -> float:
    if formula == formulas.SUM:
        return float(agencies * rng.randint(500, 2000))
    return float(rng.randint(50, 95))


def _values(formula: str, month: Period, rng: random.Random) -> dict:
    """One agency's value for a month, as the formula reads it."""
    if formula == formulas.RATIO:
        denominator = float(rng.randint(100, 10000))
        numerator = float(rng.randint(0, int(denominator)))
        return {
            "numerator": numerator,
            "denominator": denominator,
            "value": formulas.ratio_of(numerator, denominator, percent=True),
        }
    if formula == formulas.SUM:
        return {"value": float(rng.randint(0, 5000))}
    if formula == formulas.SHARE_OF_AGENCIES:
        done = rng.random() < 0.6
        day = month.start + datetime.timedelta(days=rng.randint(0, (month.end - month.start).days))
        return {"done": done, "done_on": day if done else None}
    return {"value": round(rng.uniform(0, 100), 2)}
