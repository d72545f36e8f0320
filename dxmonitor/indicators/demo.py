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
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from dxmonitor.accounts import policy
from dxmonitor.accounts.models import Role, User
from dxmonitor.agencies.models import Agency, AgencyKind
from dxmonitor.agencies.reference import NATION_CODE
from dxmonitor.core import audit
from dxmonitor.core.models import AuditEntry
from dxmonitor.core.periods import Period
from dxmonitor.indicators import figures, services, validation
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
            60.0,
            f"Trên 60% {MARK}",
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
            1_000_000.0,
            f"Trên 1.000.000 người {MARK}",
            f"Mỗi cơ quan báo cáo số lũy kế đến hết quý; số liệu quốc gia là tổng các cơ quan {MARK}.",
            description=created + "Civil servants trained in basic digital skills, cumulative (synthetic).",
        ),
    ]


# The synthetic world: each agency's level and pace, drawn once from the seed.


def _rng(*parts) -> random.Random:
    return random.Random(":".join(str(p) for p in (SEED, *parts)))


def _entry(spec: Spec, agency: Agency, period: Period, plan_year: int) -> dict:
    """What an agency reports for an indicator and quarter: its level, plus its pace since FIRST_DAY."""
    step = _step(period)
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
        return {
            "numerator": round(total * min(0.97, share + pace * step + noise / 100)),
            "denominator": total,
        }
    if spec.key == PLAN:
        if rng.random() < 0.06:
            return {"done": False}
        issued = datetime.date(plan_year - 1, 9, 15) + datetime.timedelta(days=int(rng.expovariate(1 / 90)))
        if issued > min(period.end, datetime.date(plan_year, 9, 30)):
            return {"done": False}
        return {"done": True, "done_on": issued}
    if spec.key == TRAINED:
        big = {"P01": 175_000, "P79": 190_000}
        staff = big.get(agency.code) or (
            rng.randint(2_500, 20_000) if ministry else rng.randint(25_000, 70_000)
        )
        share, pace = rng.uniform(0.30, 0.50), rng.uniform(0.03, 0.08)
        return {"value": float(round(staff * min(0.98, share + pace * step)))}
    raise ValueError(spec.key)


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
    """Agency code → (how far its report got, whether it was submitted after the due date)."""
    rng = _rng("fates", period.code)
    kinds = {a.code: a.kind for a in agencies}
    others = sorted(c for c in kinds if c not in (NOT_YET, DRAFTING))
    rng.shuffle(others)
    provinces = [c for c in others if kinds[c] == AgencyKind.PROVINCE]
    ministries = [c for c in others if kinds[c] != AgencyKind.PROVINCE]
    fates = dict.fromkeys(kinds, (APPROVED, False))
    if not current:
        # Past rounds: everyone approved, four of them late; in the first and third quarters one province
        # never reported.
        fates |= dict.fromkeys(others[:4], (APPROVED, True))
        if period.index % 2:
            fates[provinces[4]] = (NONE, False)
        return fates
    fates |= {NOT_YET: (NONE, False), DRAFTING: (DRAFT, False)}
    fates |= dict.fromkeys(provinces[:2] + ministries[:1], (NONE, False))
    fates[provinces[2]] = (RETURNED, False)
    fates |= dict.fromkeys(provinces[3:5] + ministries[1:2], (SUBMITTED, False))
    fates[provinces[5]] = (SUBMITTED, True)
    fates |= dict.fromkeys(provinces[6:8], (APPROVED, True))
    return fates


def _days(fate: str, late: bool, period: Period, due: datetime.date, rng, today) -> list[datetime.date]:
    """The days an agency's report was entered, submitted, and approved or returned."""
    days = datetime.timedelta
    if fate == DRAFT:
        return [today - days(rng.randint(1, 4))]
    # On time: in the weeks before the due date (or before today, in a round still open).
    last = max(min(due, today - days(1)), period.end + days(1))
    if late and (today - due).days > 1:
        submitted = due + days(rng.randint(1, min(12, (today - due).days - 1)))
    else:
        submitted = last - days(rng.randint(0, max(0, min(20, (last - period.end).days - 1))))
    entered = max(period.end + days(1), submitted - days(rng.randint(0, 4)))
    decided = min(submitted + days(rng.randint(1, 5)), max(submitted, today - days(1)))
    return [entered, submitted, decided]


def _at(day: datetime.date, rng: random.Random, now: datetime.datetime) -> datetime.datetime:
    """A moment in office hours on a day, never after now."""
    moment = datetime.datetime.combine(day, datetime.time(rng.randint(8, 16), rng.randint(0, 59)))
    return min(timezone.make_aware(moment), now - datetime.timedelta(minutes=rng.randint(5, 90)))


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
    if not indicator.definitions.filter(note=spec.note).exists():
        valid_from = FIRST_DAY if indicator.definitions.exists() else None
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
        .filter(Q(kind=AgencyKind.PROVINCE) | Q(code__in=MINISTRIES))
    )
    return services.open_round(
        actor,
        title=title,
        period=period,
        due_date=period.end + datetime.timedelta(days=DUE_DAYS),
        indicators=indicators,
        agencies=list(agencies),
    )


def _people() -> tuple[dict, dict]:
    """The demo's own reporter and approver per agency, where it has them; the secretariat elsewhere."""
    reporters, approvers = {}, {}
    for user in User.objects.filter(is_active=True, role__in=(Role.REPORTER, Role.APPROVER)).order_by("pk"):
        (reporters if user.role == Role.REPORTER else approvers).setdefault(user.agency_id, user)
    return reporters, approvers


def _checked(spec: Spec, indicator, definition, agency, period: Period, plan_year: int, today) -> dict:
    """The fields record_observation would store for the agency's entry, which must pass its checks."""
    rules = services.entry_rules(indicator, agency, definition)
    entry = validation.Entry(**_entry(spec, agency, period, plan_year))
    before = validation.Entry(**_entry(spec, agency, period.previous(), plan_year))
    previous = validation.entry_value(before, rules) if period.start > FIRST_DAY else None
    problems = validation.validate(entry, rules, today=today, previous=previous)
    if problems:
        raise ValueError(f"Synthetic {spec.key} for {agency.code} {period.code} fails its checks: {problems}")
    return services.entry_fields(entry, rules)


def _workflow(step: str, reporter, approver, moments) -> list[tuple]:
    """(moment, actor, changed fields, reason) of each audited step, as the services make them."""
    steps = [(moments[0], reporter, {}, "")]
    if step != DRAFT:
        steps.append((moments[1], reporter, {"state": State.SUBMITTED, "submitted_at": moments[1]}, ""))
    if step == APPROVED:
        approval = {"state": State.APPROVED, "approved_by": approver, "approved_at": moments[2]}
        steps.append((moments[2], approver, approval, ""))
    elif step == RETURNED:
        returned = {"state": State.RETURNED, "review_comment": RETURN_COMMENT}
        steps.append((moments[2], approver, returned, RETURN_COMMENT))
    return steps


def _report(round_, specs, indicators, *, current: bool, plan_year: int, actor, today, now) -> list[tuple]:
    """(unsaved observation, its workflow) for each value of the round not stored yet."""
    period = Period.parse(round_.period)
    agencies = sorted(round_.agencies.all(), key=lambda a: a.code)
    fates = _fates(period, agencies, current)
    existing = set(
        Observation.objects.filter(round=round_, source=Observation.Source.REPORTED).values_list(
            "indicator_id", "agency_id"
        )
    )
    definitions = {key: services.definition_for(indicators[key], period) for key in specs}
    reporters, approvers = _people()
    rows = []
    for agency in agencies:
        fate, late = fates[agency.code]
        days = _days(fate, late, period, round_.due_date, _rng("days", period.code, agency.code), today)
        reporter, approver = reporters.get(agency.pk, actor), approvers.get(agency.pk, actor)
        for key, spec in specs.items():
            indicator = indicators[key]
            # The returned agency got one value back; its draft leaves the plan question open.
            step = {RETURNED: RETURNED if key == FULL_ONLINE else SUBMITTED}.get(fate, fate)
            if step == NONE or (step == DRAFT and key == PLAN) or (indicator.pk, agency.pk) in existing:
                continue
            rng = _rng("moments", period.code, agency.code, key)
            moments = sorted(_at(day, rng, now) for day in days[: {DRAFT: 1, SUBMITTED: 2}.get(step, 3)])
            row = Observation(
                indicator=indicator,
                agency=agency,
                round=round_,
                source=Observation.Source.REPORTED,
                definition=definitions[key],
                **services.period_fields(period),
                note=SYNTHETIC_NOTE,
                entered_by=reporter,
                created_by=reporter,
                modified_by=reporter,
                **_checked(spec, indicator, definitions[key], agency, period, plan_year, today),
            )
            rows.append((row, _workflow(step, reporter, approver, moments)))
    return rows


def _store(rows: list[tuple]):
    """Insert the values and the audit entries of their workflow, dated when the workflow says.

    One insert for all rather than the services' queries per value and national refresh per approval:
    through the services the demo took 10 s more, and each test of it 10 to 20 s.
    """
    Observation.objects.bulk_create([row for row, _ in rows], batch_size=500)
    kind = ContentType.objects.get_for_model(Observation)
    entries, moments = [], []
    for row, steps in rows:
        before = None
        for n, (moment, who, changes, reason) in enumerate(steps):
            for name, value in changes.items():
                setattr(row, name, value)
            if n:
                row.version, row.modified_by = row.version + 1, who
            after = audit.snapshot(row)
            action = AuditEntry.Action.UPDATE if n else AuditEntry.Action.CREATE
            entries.append(
                AuditEntry(
                    content_type=kind,
                    object_id=str(row.pk),
                    action=action,
                    actor=who,
                    before=before,
                    after=after,
                    reason=reason,
                )
            )
            moments.append(moment)
            before = after
        row.created_at, row.modified_at = steps[0][0], steps[-1][0]
    fields = ["state", "version", "submitted_at", "approved_by", "approved_at", "review_comment"]
    Observation.objects.bulk_update(
        [row for row, _ in rows], [*fields, "modified_by", "created_at", "modified_at"], batch_size=500
    )
    # The entries' time is set on insert; the workflow's own moments replace it.
    AuditEntry.objects.bulk_create(entries, batch_size=500)
    for entry, moment in zip(entries, moments, strict=True):
        entry.at = moment
    AuditEntry.objects.bulk_update(entries, ["at"], batch_size=500)


def _national(indicators, rounds):
    return Observation.objects.filter(
        indicator__in=indicators,
        agency__code=NATION_CODE,
        source=Observation.Source.COMPUTED,
        period__in=[r.period for r in rounds],
    )


def _mark_national(indicators, rounds):
    """The stored national figures of the rounds are made of synthetic values: their note says so too."""
    for row in _national(indicators, rounds).exclude(note=SYNTHETIC_NOTE):
        before = audit.snapshot(row)
        row.note = SYNTHETIC_NOTE
        row.save(update_fields=["note", "modified_at"])
        audit.record(row, None, AuditEntry.Action.UPDATE, before, audit.snapshot(row), SYNTHETIC_NOTE)


def _counts(rounds, indicators) -> dict[str, int]:
    rows = Observation.objects.filter(round__in=rounds, source=Observation.Source.REPORTED)
    states = dict(rows.order_by().values_list("state").annotate(n=Count("id")))
    return {
        "indicators": len(indicators),
        "rounds": len(rounds),
        "agencies": max((r.agencies.count() for r in rounds), default=0),
        "observations": rows.count(),
        **{s: states.get(s, 0) for s in State.values},
        "national_figures": _national(indicators, rounds).count(),
    }


@transaction.atomic
def load_demo_round(actor, *, today: datetime.date | None = None) -> dict[str, int]:
    """The synthetic quarterly rounds: the last four quarters approved, the current one under way.

    Idempotent: indicators, definitions, targets, rounds and values already there are left as they are
    (including what people entered since), so loading again changes nothing.

    Args:
        actor: the secretariat user who opens the rounds and sets the targets; values are entered and
            approved by the agency's own demo reporter and approver where it has them, by the actor elsewhere.
        today: the day the rounds are counted from (default: today in Vietnam); tests pin it.

    Returns:
        Counts: indicators, rounds, agencies (in the largest round), observations, one per state, and
        national_figures (computed national rows for the rounds' periods).
    """
    if not policy.administer(actor):
        raise PermissionDenied
    today = today or timezone.localdate()
    # Nothing happened later than the end of that day's office hours, nor later than the present.
    now = min(timezone.now(), timezone.make_aware(datetime.datetime.combine(today, datetime.time(17, 30))))
    past, current = periods(today)
    specs = {s.key: s for s in _specs(current.year)}
    indicators = {key: _indicator(spec, actor) for key, spec in specs.items()}
    for key, spec in specs.items():
        _targets(indicators[key], spec, current.year, actor)
    rounds = [_round(p, indicators.values(), actor) for p in [*past, current]]
    rows = []
    for round_ in rounds:
        rows += _report(
            round_,
            specs,
            indicators,
            current=round_.period == current.code,
            plan_year=current.year,
            actor=actor,
            today=today,
            now=now,
        )
    _store(rows)
    for code in sorted({row.period for row, _ in rows}):
        figures.recompute_national_figures(code)
    _mark_national(list(indicators.values()), rounds)
    return _counts(rounds, list(indicators.values()))
