"""The computed indicators (EV.*) and their observations, written from the event figures.

Observations are written for the provinces, central agencies and the nation under the period map
(the agencies that existed in the month); communes' figures stay in the event aggregates, since
3,321 communes × 8 indicators × 12 months a year would be most of the observation table and communes
do not report to the committee.

A recomputation writes thousands of rows at once, so rows are upserted with one INSERT … ON CONFLICT
statement per batch and audited with one entry per changed row (the entries audit.record makes),
inserted in bulk: Django's bulk_update and per-row audit.record took seconds where this takes tens of
milliseconds, and the time to have the indicators current again is measured (`bench events`).
"""

import pyarrow as pa
import pyarrow.compute as pc
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from dxmonitor.core import audit
from dxmonitor.core.models import AuditEntry
from dxmonitor.core.periods import Period
from dxmonitor.events import schema
from dxmonitor.indicators import services as indicator_services
from dxmonitor.indicators.models import Indicator, IndicatorDefinition, Observation

Source, State = Observation.Source, Observation.State
OBSERVED_LEVELS = ("province", "central", "nation")
SYNTHETIC_NOTE = "Dữ liệu giả lập (synthetic data) — tính từ hồ sơ thủ tục hành chính mẫu."
COMPUTED_NOTE = "Tính từ hồ sơ thủ tục hành chính (computed from dossier records)."
REASON = "Computed from public-service dossier records"
# What a recomputation sets; the rest of a computed row keeps its defaults.
WRITTEN = ["value", "numerator", "denominator", "text", "note", "definition_id"]


def computed_indicators() -> dict[str, Indicator]:
    """The EV.* indicator of every measure, created with a "computed" definition when missing."""
    found = {i.code: i for i in Indicator.objects.filter(code__startswith="EV.")}
    result = {}
    for measure, _num, _den, unit, name, name_en in schema.MEASURES:
        code = schema.indicator_code(measure)
        indicator = found.get(code)
        if indicator is None:
            with transaction.atomic():
                indicator = Indicator.objects.create(
                    code=code,
                    name=name,
                    group=Indicator.Group.DIGITAL_GOVERNMENT,
                    unit=unit,
                    frequency="month",
                    description=(
                        f"{name_en}. Tính tự động từ hồ sơ thủ tục hành chính (computed from the dossier "
                        "records, see docs/events-schema.md), không do cơ quan tự báo cáo."
                    ),
                )
                audit.record(indicator, None, AuditEntry.Action.CREATE, None, audit.snapshot(indicator))
                indicator_services.define_indicator(
                    None,
                    indicator,
                    formula=IndicatorDefinition.Formula.COMPUTED,
                    params={"events": "dossiers", "measure": measure, "reconcile_with": []},
                    note="Computed from public-service dossier records (dxmonitor events).",
                )
        result[measure] = indicator
    return result


def definitions_of(indicators) -> dict[int, list[IndicatorDefinition]]:
    """Definitions per indicator id, newest first."""
    found: dict[int, list] = {}
    for definition in IndicatorDefinition.objects.filter(indicator__in=indicators).order_by("-version"):
        found.setdefault(definition.indicator_id, []).append(definition)
    return found


def wanted(figures: pa.Table, months) -> dict[tuple, dict]:
    """{(indicator id, agency id, period code): the written fields} for the figures of these months."""
    indicators = computed_indicators()
    definitions = definitions_of(indicators.values())
    periods = {m: Period.parse(schema.month_period(m)) for m in months}
    rows = figures.filter(pc.equal(figures["map"], "period")).to_pylist()
    found = {}
    for row in rows:
        period = periods.get(row["month"])
        if period is None or row["level"] not in OBSERVED_LEVELS:
            continue
        note = SYNTHETIC_NOTE if row["synthetic"] else COMPUTED_NOTE
        for measure, numerator, denominator, *_ in schema.MEASURES:
            indicator = indicators[measure]
            num = row[numerator]
            if denominator is None:
                fields = {"value": float(num), "numerator": None, "denominator": None}
                text = f"{num:,} hồ sơ".replace(",", ".")
            elif row[denominator]:
                den = row[denominator]
                fields = {
                    "value": round(100 * num / den, 4),
                    "numerator": float(num),
                    "denominator": float(den),
                }
                text = f"{num:,}/{den:,}".replace(",", ".")
            else:
                continue  # no dossier to take a share of
            definition = indicator_services.in_force(definitions.get(indicator.pk, []), period)
            fields |= {"text": text, "note": note, "definition_id": definition.pk if definition else None}
            found[(indicator.pk, row["agency_id"], period.code)] = fields
    return found


@transaction.atomic
def write(figures: pa.Table, months) -> dict[str, int]:
    """Make the computed observations of these months match the figures; audited, idempotent."""
    target = wanted(figures, months)
    indicator_ids = [i.pk for i in computed_indicators().values()]
    codes = [schema.month_period(m) for m in months]
    existing = {
        (row[1], row[2], row[3]): row
        for row in Observation.objects.filter(
            source=Source.COMPUTED, indicator_id__in=indicator_ids, period__in=codes
        ).values_list("id", "indicator_id", "agency_id", "period", "version", *WRITTEN)
    }
    created, changed = [], []
    for key, fields in target.items():
        row = existing.get(key)
        if row is None:
            created.append((key, fields, 1))
        elif list(row[5:]) != [fields[k] for k in WRITTEN]:
            changed.append((key, fields, row[4] + 1))
    stale = [row[0] for key, row in existing.items() if key not in target]
    if not (created or changed or stale):
        return {"created": 0, "updated": 0, "deleted": 0}
    changed_ids = [existing[key][0] for key, _f, _v in changed]
    before = {
        values["id"]: _snapshot(values)
        for values in Observation.objects.filter(pk__in=changed_ids + stale).values()
    }
    now = timezone.now()
    _upsert(created + changed, now)
    ids = {key: row[0] for key, row in existing.items()}
    if created:
        ids |= {
            (row[1], row[2], row[3]): row[0]
            for row in Observation.objects.filter(
                source=Source.COMPUTED, indicator_id__in=indicator_ids, period__in=codes
            ).values_list("id", "indicator_id", "agency_id", "period")
        }
    # The rows after the upsert, as audit.snapshot would read them back: known without reading them.
    template = audit.snapshot(Observation(source=Source.COMPUTED, state=State.APPROVED, approved_at=now))
    entries = []
    for key, fields, version in created:
        period = Period.parse(key[2])
        after = template | _snapshot(
            {
                "id": ids[key],
                "indicator_id": key[0],
                "agency_id": key[1],
                "period": period.code,
                "period_kind": period.kind,
                "period_start": period.start,
                "period_end": period.end,
                "version": version,
                **fields,
            }
        )
        entries.append((ids[key], AuditEntry.Action.CREATE, None, after))
    for key, fields, version in changed:
        previous = before[ids[key]]
        entries.append(
            (
                ids[key],
                AuditEntry.Action.UPDATE,
                previous,
                previous | _snapshot(fields) | {"version": version},
            )
        )
    entries += [(pk, AuditEntry.Action.DELETE, before[pk], None) for pk in stale]
    _audit(entries, now)
    Observation.objects.filter(pk__in=stale).delete()
    return {"created": len(created), "updated": len(changed), "deleted": len(stale)}


_ENCODER = DjangoJSONEncoder()
_SKIPPED = {"created_at", "modified_at", "created_by_id", "modified_by_id"}


def _snapshot(values: dict) -> dict:
    """audit.snapshot of a row from its values(): the same keys and JSON-safe values."""
    return {
        k: v if v is None or isinstance(v, bool | int | float | str) else _ENCODER.default(v)
        for k, v in values.items()
        if k not in _SKIPPED
    }


def _upsert(rows: list[tuple], now):
    """INSERT … ON CONFLICT (indicator, agency, period, source) DO UPDATE for (key, fields, version)."""
    if not rows:
        return
    fields = [f for f in Observation._meta.concrete_fields if not f.primary_key]
    template = Observation(source=Source.COMPUTED, state=State.APPROVED)
    defaults = {f.attname: f.get_db_prep_save(getattr(template, f.attname), connection) for f in fields}
    stamp = connection.ops.adapt_datetimefield_value(now)
    dates: dict = {}

    def day(value):
        if value not in dates:
            dates[value] = connection.ops.adapt_datefield_value(value)
        return dates[value]

    columns = [f.attname for f in fields]
    values = []
    for (indicator_id, agency_id, code), written, version in rows:
        period = Period.parse(code)
        row = dict(defaults)
        row.update(written)
        row.update(
            {
                "created_at": stamp,
                "modified_at": stamp,
                "approved_at": stamp,
                "indicator_id": indicator_id,
                "agency_id": agency_id,
                "period": code,
                "period_kind": period.kind,
                "period_start": day(period.start),
                "period_end": day(period.end),
                "version": version,
            }
        )
        values.append([row[c] for c in columns])
    quote = connection.ops.quote_name
    table = quote(Observation._meta.db_table)
    updated = [*WRITTEN, "version", "modified_at"]
    statement = (
        f"INSERT INTO {table} ({', '.join(quote(c) for c in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))}) "
        f"ON CONFLICT ({', '.join(quote(c) for c in ['indicator_id', 'agency_id', 'period', 'source'])}) "
        f"DO UPDATE SET {', '.join(f'{quote(c)} = EXCLUDED.{quote(c)}' for c in updated)}"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(values), 1000):
            cursor.executemany(statement, values[start : start + 1000])


def _audit(entries: list[tuple], now):
    """One AuditEntry per (object id, action, before, after), inserted in bulk."""
    if not entries:
        return
    content_type = ContentType.objects.get_for_model(Observation).pk
    stamp = connection.ops.adapt_datetimefield_value(now)

    def stored(value):
        return None if value is None else connection.ops.adapt_json_value(value, DjangoJSONEncoder)

    quote = connection.ops.quote_name
    columns = ["content_type_id", "object_id", "action", "actor_id", "at", "before", "after", "reason"]
    statement = (
        f"INSERT INTO {quote(AuditEntry._meta.db_table)} ({', '.join(quote(c) for c in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    values = [
        (content_type, str(pk), action, None, stamp, stored(before), stored(after), REASON)
        for pk, action, before, after in entries
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(values), 1000):
            cursor.executemany(statement, values[start : start + 1000])
