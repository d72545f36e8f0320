"""`dxmonitor bench indicators`: a national-scale indicator set, and the time its pages and figures take.

The data is deterministic for a seed: --indicators indicators (a mix of the formulas: reported value,
ratio, sum, mean, share of agencies), each with a definition (a tenth with a second version), a lead
ministry and a national target per year, and approved values of --provinces provinces and --ministries
ministries for each of the --months months ending with the current one. The values are reported by the
agency that existed in the month: a province formed on 2025-07-01 by a merger reports through one of
the provinces it was formed from before that date (the one that gave it its name when there is one), so
the rows stay (provinces + ministries) per indicator and month and none is held by an agency that did
not exist. A reported-value indicator also has the nation's own value each month, as its lead reports it.
"""

import datetime
import hashlib
import random
import time
from itertools import islice

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from dxmonitor.accounts.models import Role
from dxmonitor.accounts.services import create_user
from dxmonitor.agencies.models import CENTRAL_KINDS, Agency, AgencyKind, Succession
from dxmonitor.agencies.reference import NATION_CODE
from dxmonitor.core.bench import Result, benchmark, positive_int, summary, timed
from dxmonitor.core.models import AuditEntry
from dxmonitor.core.periods import Period
from dxmonitor.indicators import figures, formulas
from dxmonitor.indicators.models import Indicator, IndicatorDefinition, Observation, Target
from dxmonitor.indicators.services import in_force

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

    # First, the recomputation from nothing: every national figure written (and audited).
    outcomes = []

    def first(i):
        _forget_national_figures()
        start = time.perf_counter()
        outcomes.append(figures.recompute_national_figures())
        return (time.perf_counter() - start) * 1000

    result.samples["recompute_national_figures_first"] = [first(i) for i in range(recompute_repeat)]
    _progress(progress, result, "recompute_national_figures_first")
    result.meta["recompute_first"] = outcomes[-1]
    unchanged = []
    result.samples["recompute_national_figures_unchanged"] = timed(
        lambda i: unchanged.append(figures.recompute_national_figures()), recompute_repeat
    )
    _progress(progress, result, "recompute_national_figures_unchanged")
    result.meta["recompute_unchanged"] = unchanged[-1]

    # The pages read the figures the recomputation stored, as they would in an installation.
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    url = _detail_url()
    result.meta["indicator_detail_url"] = url("CODE")

    def detail(i):
        response = client.get(url(rng.choice(codes)))
        assert response.status_code == 200, response.status_code

    result.samples["indicator_detail"] = timed(detail, repeat)
    _progress(progress, result, "indicator_detail")
    result.samples["indicator_series"] = timed(
        lambda i: figures.indicator_series(indicators[rng.choice(codes)]), repeat
    )
    _progress(progress, result, "indicator_series")
    return result


def _detail_url():
    """The indicator page's address for a code; its API twin while the page is not there yet."""
    try:
        reverse("indicator-detail", args=["X"])
    except NoReverseMatch:
        return lambda code: f"/api/v1/indicators/{code}"
    return lambda code: reverse("indicator-detail", args=[code])


def _progress(progress, result: Result, name: str):
    figure = summary(result.samples[name])
    progress(f"  {name}: p50 {figure['p50_ms']:.1f} ms, p95 {figure['p95_ms']:.1f} ms")


def _forget_national_figures():
    """Back to before the first recomputation: no computed national rows, none of their audit entries."""
    nation = Agency.objects.get(code=NATION_CODE)
    with transaction.atomic():
        Observation.objects.filter(agency=nation, source=Observation.Source.COMPUTED)._raw_delete(
            connection.alias
        )
        AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(Observation)).delete()


def _months(today: datetime.date, n: int) -> list[Period]:
    """The n months ending with today's, oldest first."""
    month = Period.of("month", today)
    found = [month]
    for _ in range(n - 1):
        month = month.previous()
        found.append(month)
    return found[::-1]


def _batches(iterable, size=BATCH):
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch


def reporters(provinces: int, ministries: int, day: datetime.date) -> list[Agency]:
    """The first provinces and central agencies (by code) in existence on day, those there throughout first."""

    def chosen(kinds, n):
        current = Agency.objects.valid_on(day).filter(kind__in=kinds)
        # Those that existed before the 2025 reorganisations first: they report for every month.
        return sorted(current, key=lambda a: (a.valid_from is not None, a.code))[:n]

    return chosen([AgencyKind.PROVINCE], provinces) + chosen(CENTRAL_KINDS, ministries)


def holders(agencies: list[Agency], months: list[Period]) -> dict[int, list[Agency]]:
    """Per agency id, who reported for it in each month: itself, or before it existed a predecessor."""
    links = {}
    for link in Succession.objects.filter(successor__in=agencies).select_related("predecessor"):
        links.setdefault(link.successor_id, []).append(link.predecessor)
    found = {}
    for agency in agencies:
        # The predecessor that gave the agency its name, else the first by code.
        before = sorted(links.get(agency.pk, []), key=lambda a: (a.short_name != agency.short_name, a.code))
        found[agency.pk] = [
            agency
            if agency.is_valid_on(month.end)
            else next((a for a in before if a.is_valid_on(month.end)), agency)
            for month in months
        ]
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
            **_period(Period("year", year)),
        )
        for i, indicator in enumerate(indicators)
        for year in years
    )

    def observations():
        for i, indicator in enumerate(indicators):
            formula = FORMULAS[i % len(FORMULAS)]
            for m, month in enumerate(months):
                used = in_force(versions[indicator.pk], month)
                fields = {**_period(month), "definition": used, "approved_at": now}
                for agency in agencies:
                    yield Observation(
                        indicator=indicator,
                        agency=held[agency.pk][m],
                        **fields,
                        **_values(formula, month, rng),
                        **APPROVED,
                    )
                if formula == formulas.VALUE:
                    yield Observation(
                        indicator=indicator,
                        agency=nation,
                        **fields,
                        **_values(formula, month, rng),
                        **APPROVED,
                    )

    written = 0
    for batch in _batches(observations()):
        Observation.objects.bulk_create(batch)
        written += len(batch)
    return {
        "indicators": len(indicators),
        "definitions": len(definitions),
        "targets": len(targets),
        "observations": written,
        "agencies": len(agencies),
        "months": len(months),
    }


APPROVED = {"state": Observation.State.APPROVED, "source": Observation.Source.REPORTED}


def _period(period: Period) -> dict:
    return {
        "period": period.code,
        "period_kind": period.kind,
        "period_start": period.start,
        "period_end": period.end,
    }


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
