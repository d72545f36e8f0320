"""The demo's synthetic reporting rounds: quarterly values made up on top of the real sample notices.

All of it is dữ liệu minh họa (synthetic) and says so wherever it shows: round titles end "(dữ liệu minh
họa)", every value's note is SYNTHETIC_NOTE, the indicators the demo creates say so in their description,
the definitions in their note, the targets in their wording. Values are pseudo-random from a fixed seed;
dates count from today, so the current round is always the quarter that ended last.
"""

import datetime
import random
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from dxmonitor.accounts.models import Role, User
from dxmonitor.agencies.models import Agency, AgencyKind
from dxmonitor.agencies.reference import NATION_CODE
from dxmonitor.core import audit
from dxmonitor.core.models import AuditEntry
from dxmonitor.core.periods import Period
from dxmonitor.indicators import services
from dxmonitor.indicators.models import Indicator, IndicatorDefinition, Observation, ReportingRound, Target

SYNTHETIC_NOTE = "Dữ liệu minh họa (synthetic)"
MARK = "(dữ liệu minh họa)"
# The 34 provinces exist from this day; an earlier round would have to ask the 63 that existed then.
FIRST_DAY = datetime.date(2025, 7, 1)
PAST_ROUNDS = 4
DUE_DAYS = 50  # a quarter's report is due this many days after the quarter ends
SEED = 2026
MINISTRIES = ("BKHCN", "BCA", "BCT", "BGDDT", "BNNMT", "BNV", "BTC", "BTP", "BXD", "BYT")
# In the current round Hà Nội has entered nothing (the browser test enters and approves its values) and
# the Ministry of Science and Technology has a draft its reporter can finish.
NOT_YET, DRAFTING = "P01", "BKHCN"
RETURN_COMMENT = f"Đề nghị kiểm tra lại số thủ tục hành chính đủ điều kiện (mẫu số) {MARK}."

State = Observation.State
Formula = IndicatorDefinition.Formula
ONLINE_DOSSIERS, FULL_ONLINE, PLAN, TRAINED = "online_dossiers", "full_online", "plan", "trained"


@dataclass(frozen=True)
class Spec:
    """One indicator of the synthetic rounds: the catalogue's when one has this name, else a new "MH." one."""

    key: str
    name: str
    code: str  # when the demo creates it
    formula: str
    unit: str
    target: float
    target_text: str
    note: str
    group: str = Indicator.Group.DIGITAL_GOVERNMENT
    description: str = ""
    params: dict = field(default_factory=dict)


def _specs(year: int) -> list[Spec]:
    created = f"Chỉ tiêu minh họa {MARK}: do bản demo tạo ra, không có trong các thông báo kết luận mẫu. "
    return [
        Spec(
            ONLINE_DOSSIERS,
            "Tỷ lệ hồ sơ thủ tục hành chính được xử lý trực tuyến",
            "MH.HSTT",
            Formula.MEAN,
            "%",
            65.0,
            f"Trên 65% {MARK}",
            f"Từ quý III/2025 mỗi bộ, ngành, địa phương báo cáo tỷ lệ của mình hằng quý; số liệu quốc gia là "
            f"trung bình các cơ quan {MARK}.",
        ),
        Spec(
            FULL_ONLINE,
            "Tỷ lệ thủ tục hành chính đủ điều kiện theo quy định của pháp luật được cung cấp dưới hình thức "
            "dịch vụ công trực tuyến toàn trình",
            "MH.DVCTT",
            Formula.RATIO,
            "%",
            80.0,
            f"Trên 80% {MARK}",
            f"Từ quý III/2025 mỗi cơ quan báo cáo tử số (thủ tục cung cấp dịch vụ công trực tuyến toàn trình) "
            f"và mẫu số (thủ tục đủ điều kiện); số liệu quốc gia là tổng tử số / tổng mẫu số {MARK}.",
        ),
        Spec(
            PLAN,
            f"Tỷ lệ bộ, ngành, địa phương ban hành Kế hoạch chuyển đổi số năm {year}",
            f"MH.KHCDS{year}",
            Formula.SHARE_OF_AGENCIES,
            "%",
            100.0,
            f"100% bộ, ngành, địa phương {MARK}",
            f"Mỗi cơ quan báo cáo đã ban hành hay chưa và ngày ban hành {MARK}.",
            description=created + "Each agency reports whether and when it issued its plan (synthetic).",
            params={"groups": ["central", "province"]},
        ),
        Spec(
            TRAINED,
            "Số cán bộ, công chức, viên chức được bồi dưỡng, phổ cập kỹ năng số cơ bản (lũy kế)",
            "MH.KNS",
            Formula.SUM,
            "người",
            1_100_000.0,
            f"Trên 1.100.000 người {MARK}",
            f"Mỗi cơ quan báo cáo số lũy kế đến hết quý; số liệu quốc gia là tổng các cơ quan {MARK}.",
            description=created + "Civil servants trained in basic digital skills, cumulative (synthetic).",
        ),
    ]


# The synthetic world: each agency's level and pace, drawn once from the seed.


def _rng(*parts) -> random.Random:
    return random.Random(":".join(str(p) for p in (SEED, *parts)))


def _entry(spec: Spec, agency: Agency, step: int, plan_year: int) -> dict:
    """What an agency reports for an indicator, `step` quarters after the third quarter of 2025."""
    rng = _rng(spec.key, agency.code)
    ministry = agency.kind != AgencyKind.PROVINCE
    noise = _rng(spec.key, agency.code, step).gauss(0, 0.8)
    if spec.key == ONLINE_DOSSIERS:
        base, pace = rng.uniform(30, 62) if ministry else rng.uniform(45, 72), rng.uniform(1.0, 4.0)
        return {"value": round(min(98.5, base + pace * step + noise), 2)}
    if spec.key == FULL_ONLINE:
        total = rng.randint(60, 420) if ministry else rng.randint(1100, 1900)
        share, pace = rng.uniform(0.35, 0.6), rng.uniform(0.01, 0.035)
        # Simplification cuts a few procedures each quarter.
        total = round(total * (1 - 0.008 * step))
        return {"numerator": round(total * min(0.97, share + pace * step + noise / 100)), "denominator": total}
    if spec.key == PLAN:
        if rng.random() < 0.06:
            return {"done": False}
        issued = datetime.date(plan_year - 1, 9, 15) + datetime.timedelta(days=int(rng.expovariate(1 / 90)))
        period = _quarter(step)
        if issued > min(period.end, datetime.date(plan_year, 9, 30)):
            return {"done": False}
        return {"done": True, "done_on": issued}
    if spec.key == TRAINED:
        big = {"P01": 175_000, "P79": 190_000}
        staff = big.get(agency.code) or (rng.randint(2_500, 20_000) if ministry else rng.randint(25_000, 70_000))
        share, pace = rng.uniform(0.30, 0.50), rng.uniform(0.03, 0.08)
        return {"value": float(round(staff * min(0.98, share + pace * step)))}
    raise ValueError(spec.key)


def _quarter(step: int) -> Period:
    period = Period.of("quarter", FIRST_DAY)
    for _ in range(step):
        period = period.next()
    return period


def _step(period: Period) -> int:
    first = Period.of("quarter", FIRST_DAY)
    return (period.year - first.year) * 4 + period.index - first.index


def periods(today: datetime.date | None = None) -> tuple[list[Period], Period]:
    """(past quarters, current quarter): the quarter that ended last and up to four before it."""
    current = Period.of("quarter", today or timezone.localdate()).previous()
    past = []
    period = current.previous()
    while len(past) < PAST_ROUNDS and period.start >= FIRST_DAY:
        past.insert(0, period)
        period = period.previous()
    return past, current


# Who did what when in each round.

NONE, DRAFT, RETURNED, SUBMITTED, APPROVED = "none", "draft", "returned", "submitted", "approved"


def _fates(period: Period, agencies: list[Agency], current: bool) -> dict[str, tuple[str, bool]]:
    """Agency code → (how far it got, whether it submitted late)."""
    rng = _rng("fates", period.code)
    codes = sorted(a.code for a in agencies)
    if not current:
        # Past rounds: nearly everyone reported and was approved; a few late, now and then one missing.
        fates = {}
        for code in codes:
            missing, late = rng.random() < 0.03, rng.random() < 0.1
            fates[code] = (NONE if missing and code not in (NOT_YET, DRAFTING) else APPROVED, late)
        return fates
    kinds = {a.code: a.kind for a in agencies}
    others = [c for c in codes if c not in (NOT_YET, DRAFTING)]
    rng.shuffle(others)
    provinces = [c for c in others if kinds[c] == AgencyKind.PROVINCE]
    ministries = [c for c in others if kinds[c] != AgencyKind.PROVINCE]
    fates = {c: (APPROVED, False) for c in others}
    fates |= {NOT_YET: (NONE, False), DRAFTING: (DRAFT, False)}
    fates |= {c: (NONE, False) for c in provinces[:2] + ministries[:1]}
    fates[provinces[2]] = (RETURNED, False)
    fates |= {c: (SUBMITTED, False) for c in provinces[3:6] + ministries[1:2]}
    fates[provinces[6]] = (SUBMITTED, True)
    fates |= {c: (APPROVED, True) for c in provinces[7:9]}
    return fates


def _at(day: datetime.date, rng: random.Random, now: datetime.datetime) -> datetime.datetime:
    """A moment in office hours on a day, never after now."""
    moment = datetime.datetime.combine(day, datetime.time(rng.randint(8, 16), rng.randint(0, 59)))
    return min(timezone.make_aware(moment), now - datetime.timedelta(minutes=rng.randint(5, 90)))


def _moments(fate: str, late: bool, period: Period, due: datetime.date, rng, now) -> list[datetime.datetime]:
    """When the value was entered, then submitted, then approved or returned (as far as it got)."""
    today = timezone.localdate(now)
    days = datetime.timedelta
    if fate == DRAFT:
        return [_at(today - days(rng.randint(1, 4)), rng, now)]
    last = max(min(due, today - days(1)), period.end + days(1))
    if late and (today - due).days > 1:
        submitted = due + days(rng.randint(1, min(12, (today - due).days - 1)))
    else:
        submitted = last - days(rng.randint(0, max(0, min(20, (last - period.end).days - 1))))
    entered = max(period.end + days(1), submitted - days(rng.randint(0, 4)))
    moments = [_at(entered, rng, now), _at(submitted, rng, now)]
    if fate in (APPROVED, RETURNED):
        moments.append(_at(submitted + days(rng.randint(1, 5)), rng, now))
    return sorted(moments)


# Loading


def _indicator(spec: Spec, actor) -> Indicator:
    indicator = services.find_indicator(spec.name)
    if indicator is None:
        indicator = Indicator.objects.filter(code=spec.code).first()
    if indicator is None:
        indicator = Indicator.objects.create(
            code=spec.code,
            name=spec.name,
            group=spec.group,
            unit=spec.unit,
            frequency="quarter",
            description=spec.description
            or f"Chỉ tiêu minh họa {MARK}: do bản demo tạo ra (synthetic, made up for the demo).",
            created_by=actor,
            modified_by=actor,
        )
        indicator.lead.set(Agency.objects.filter(code="BKHCN"))
        audit.record(indicator, actor, AuditEntry.Action.CREATE, None, audit.snapshot(indicator))
    # A catalogue indicator gets a new version from the 34 provinces on; its past figures keep theirs.
    valid_from = FIRST_DAY if indicator.definitions.exists() else None
    if not indicator.definitions.filter(formula=spec.formula, valid_from=valid_from, note=spec.note).exists():
        services.define_indicator(
            actor, indicator, formula=spec.formula, valid_from=valid_from, params=spec.params, note=spec.note
        )
    return indicator


def _targets(indicator: Indicator, spec: Spec, year: int, actor):
    # The year's target, and the same level for each of its quarters so the quarterly figures are assessed.
    for code in [str(year), *(f"{year}-Q{q}" for q in range(1, 5))]:
        if not Target.objects.filter(indicator=indicator, agency__code=NATION_CODE, period=code).exists():
            services.set_target(actor, indicator, code, value=spec.target, text=spec.target_text)


def _round(period: Period, indicators, actor) -> ReportingRound:
    label = period.label_vi
    title = f"Báo cáo {label[0].lower()}{label[1:]} {MARK}"
    found = ReportingRound.objects.filter(title=title, period=period.code).first()
    if found:
        return found
    agencies = (
        Agency.objects.valid_on(period.start)
        .valid_on(period.end)
        .filter(kind=AgencyKind.PROVINCE)
        .union(Agency.objects.filter(code__in=MINISTRIES).valid_on(period.start).valid_on(period.end))
    )
    return services.open_round(
        actor,
        title=title,
        period=period,
        due_date=period.end + datetime.timedelta(days=DUE_DAYS),
        indicators=indicators,
        agencies=list(agencies),
    )


def _people(actor) -> tuple[dict, dict]:
    """The demo's own reporter and approver per agency, where it has them; the secretariat elsewhere."""
    reporters, approvers = {}, {}
    for user in User.objects.filter(is_active=True, role__in=(Role.REPORTER, Role.APPROVER)).order_by("pk"):
        (reporters if user.role == Role.REPORTER else approvers).setdefault(user.agency_id, user)
    return reporters, approvers


def _report(round_, specs, indicators, actor, now) -> dict[int, list[datetime.datetime]]:
    """Enter, submit and approve (or return) the round's values through the services; new rows only."""
    period = Period.parse(round_.period)
    agencies = sorted(round_.agencies.all(), key=lambda a: a.code)
    current = period == periods(timezone.localdate(now))[1]
    fates = _fates(period, agencies, current)
    existing = set(
        Observation.objects.filter(
            round=round_, source=Observation.Source.REPORTED
        ).values_list("indicator_id", "agency_id")
    )
    reporters, approvers = _people(actor)
    plan_year = int(specs[PLAN].code.removeprefix("MH.KHCDS"))
    moments = {}
    for agency in agencies:
        fate, late = fates[agency.code]
        if fate == NONE:
            continue
        reporter, approver = reporters.get(agency.pk, actor), approvers.get(agency.pk, actor)
        for key, spec in specs.items():
            indicator = indicators[key]
            if (indicator.pk, agency.pk) in existing or (fate == DRAFT and key == PLAN):
                continue  # the draft is not finished: the plan question is still open
            entry = _entry(spec, agency, _step(period), plan_year)
            row = services.record_observation(
                reporter, indicator, agency, period, note=SYNTHETIC_NOTE, round=round_, **entry
            )
            if fate != DRAFT:
                row = services.submit_observation(reporter, row)
            if fate == APPROVED:
                row = services.approve_observation(approver, row)
            elif fate == RETURNED:
                state = State.RETURNED if key == FULL_ONLINE else State.SUBMITTED
                if state == State.RETURNED:
                    row = services.return_observation(approver, row, RETURN_COMMENT)
            rng = _rng("moments", period.code, agency.code, key)
            moments[row.pk] = _moments(
                fate if (fate != RETURNED or key == FULL_ONLINE) else SUBMITTED, late, period, round_.due_date, rng, now
            )
    return moments


def _date_history(moments: dict[int, list[datetime.datetime]]):
    """Give the new rows and their audit entries the synthetic moments instead of the moment of loading."""
    rows = list(Observation.objects.filter(pk__in=moments))
    for row in rows:
        times = moments[row.pk]
        row.created_at, row.modified_at = times[0], times[-1]
        if row.state != State.DRAFT:
            row.submitted_at = times[1]
        if row.state == State.APPROVED:
            row.approved_at = times[2]
    Observation.objects.bulk_update(
        rows, ["created_at", "modified_at", "submitted_at", "approved_at"], batch_size=500
    )
    kind = ContentType.objects.get_for_model(Observation)
    entries = AuditEntry.objects.filter(content_type=kind, object_id__in=[str(pk) for pk in moments])
    changed = []
    by_row: dict[str, list[AuditEntry]] = {}
    for entry in entries.order_by("id"):
        by_row.setdefault(entry.object_id, []).append(entry)
    for object_id, found in by_row.items():
        for entry, moment in zip(found, moments[int(object_id)], strict=False):
            entry.at = moment
            changed.append(entry)
    AuditEntry.objects.bulk_update(changed, ["at"], batch_size=500)


def _counts(rounds, indicators) -> dict[str, int]:
    rows = Observation.objects.filter(round__in=rounds, source=Observation.Source.REPORTED)
    states = dict(rows.order_by().values_list("state").annotate(n=Count("id")))
    national = Observation.objects.filter(
        indicator__in=indicators,
        agency__code=NATION_CODE,
        source=Observation.Source.COMPUTED,
        period__in=[r.period for r in rounds],
    )
    return {
        "indicators": len(indicators),
        "rounds": len(rounds),
        "agencies": max((r.agencies.count() for r in rounds), default=0),
        "observations": rows.count(),
        **{s: states.get(s, 0) for s in State.values},
        "national_figures": national.count(),
    }


@transaction.atomic
def load_demo_round(actor) -> dict[str, int]:
    """The synthetic quarterly rounds: the last four quarters approved, the current one under way.

    Idempotent: indicators, definitions, targets, rounds and values already there are left as they are
    (including what people entered since), so loading again changes nothing.

    Args:
        actor: the secretariat user who opens the rounds and sets the targets; values are entered and
            approved by the agency's own demo reporter and approver where it has them, by the actor elsewhere.

    Returns:
        Counts: indicators, rounds, agencies (in the largest round), observations, one per state, and
        national_figures (computed national rows for the rounds' periods).
    """
    now = timezone.now()
    past, current = periods(timezone.localdate(now))
    specs = {s.key: s for s in _specs(current.year)}
    indicators = {key: _indicator(spec, actor) for key, spec in specs.items()}
    for key, spec in specs.items():
        _targets(indicators[key], spec, current.year, actor)
    rounds = [_round(p, indicators.values(), actor) for p in [*past, current]]
    moments = {}
    for round_ in rounds:
        moments |= _report(round_, specs, indicators, actor, now)
    _date_history(moments)
    return _counts(rounds, list(indicators.values()))
