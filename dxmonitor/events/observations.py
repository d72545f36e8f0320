"""The computed indicators (EV.*) and their observations, written from the event figures.

Observations are written for the provinces, central agencies and the nation under the period map
(the agencies that existed in the month); communes' figures stay in the event aggregates, since
3,321 communes × 8 indicators × 12 months a year would be most of the observation table and communes
do not report to the committee.

A recomputation writes thousands of rows at once, so rows whose written fields are unchanged are left
alone, new rows are inserted in batches (INSERT … ON CONFLICT) and changed ones updated
by id, and each is audited with one entry (the entries audit.record makes), inserted in bulk: Django's
bulk_update and per-row audit.record took seconds where this takes tens of milliseconds, and the time
to have the indicators current again is measured (`bench events`).
"""

from operator import itemgetter

import pyarrow as pa
import pyarrow.compute as pc
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone

from dxmonitor.core import audit
from dxmonitor.core.models import AuditEntry
from dxmonitor.core.periods import Period
from dxmonitor.events import schema
from dxmonitor.indicators import services as indicator_services
from dxmonitor.indicators.models import Indicator, IndicatorDefinition, Observation

Source, State = Observation.Source, Observation.State
OBSERVED_LEVELS = ("province", "central", "nation")
SYNTHETIC_NOTE = "Dữ liệu minh họa (synthetic) — tính từ hồ sơ thủ tục hành chính mẫu."
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


def wanted(figures: pa.Table, months, indicators: dict[str, Indicator] | None = None) -> dict[tuple, dict]:
    """{(indicator id, agency id, period code): the written fields} for the figures of these months."""
    indicators = computed_indicators() if indicators is None else indicators
    definitions = definitions_of(indicators.values())
    periods = {m: Period.parse(schema.month_period(m)) for m in months}
    figures = figures.filter(
        pc.and_(
            pc.equal(figures["map"], "period"),
            pc.and_(
                pc.is_in(figures["level"], pa.array(OBSERVED_LEVELS)),
                pc.is_in(figures["month"], pa.array(list(periods), figures.schema.field("month").type)),
            ),
        )
    )
    columns = {name: figures[name].to_pylist() for name in ["agency_id", "month", *schema.COUNTS]}
    # The definition in force per indicator and month, looked up once rather than per row.
    in_force = {
        (indicator.pk, month): indicator_services.in_force(definitions.get(indicator.pk, []), period)
        for indicator in indicators.values()
        for month, period in periods.items()
    }
    found = {}
    for i, (agency_id, month) in enumerate(zip(columns["agency_id"], columns["month"], strict=True)):
        period = periods[month]
        note = SYNTHETIC_NOTE if columns["synthetic"][i] else COMPUTED_NOTE
        for measure, numerator, denominator, *_ in schema.MEASURES:
            indicator = indicators[measure]
            num = columns[numerator][i]
            if denominator is None:
                fields = {"value": float(num), "numerator": None, "denominator": None}
                text = f"{num:,} hồ sơ".replace(",", ".")
            elif columns[denominator][i]:
                den = columns[denominator][i]
                fields = {
                    "value": round(100 * num / den, 4),
                    "numerator": float(num),
                    "denominator": float(den),
                }
                text = f"{num:,}/{den:,}".replace(",", ".")
            else:
                continue  # no dossier to take a share of
            definition = in_force[(indicator.pk, month)]
            fields |= {"text": text, "note": note, "definition_id": definition.pk if definition else None}
            found[(indicator.pk, agency_id, period.code)] = fields
    return found


@transaction.atomic
def write(figures: pa.Table, months) -> dict[str, int]:
    """Make the computed observations of these months match the figures; audited, idempotent.

    Only rows whose written fields differ are touched: a recomputation that changes nothing writes
    nothing, and a fold-in writes the few rows of the agencies whose counts moved.
    """
    indicators = computed_indicators()
    target = wanted(figures, months, indicators)
    existing = {
        (row[1], row[2], row[3]): row
        for row in Observation.objects.filter(
            source=Source.COMPUTED,
            indicator_id__in=[i.pk for i in indicators.values()],
            period__in=[schema.month_period(m) for m in months],
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
    # The rows before the change, for the audit: only those that change are read whole.
    changed_ids = [existing[key][0] for key, _f, _v in changed]
    before = {
        values["id"]: _snapshot(values)
        for values in Observation.objects.filter(pk__in=changed_ids + stale).values(*_SNAPSHOT_FIELDS)
    }
    now = timezone.now()
    # Rows in the order of the unique index (indicator, agency, period): its pages fill in turn.
    created.sort(key=lambda item: item[0])
    created_ids = _upsert(created, now)
    _update([(existing[key][0], fields, version) for key, fields, version in changed], now)
    ids = {key: row[0] for key, row in existing.items()} | created_ids
    # The rows after the upsert, as audit.snapshot would read them back: known without reading them.
    template = audit.snapshot(Observation(source=Source.COMPUTED, state=State.APPROVED, approved_at=now))
    period_fields = {}
    for code in {key[2] for key, _f, _v in created}:
        period = Period.parse(code)
        period_fields[code] = _snapshot(
            {
                "period": period.code,
                "period_kind": period.kind,
                "period_start": period.start,
                "period_end": period.end,
            }
        )
    entries = []
    for key, fields, version in created:
        after = template | period_fields[key[2]]
        after.update(fields)
        after.update({"id": ids[key], "indicator_id": key[0], "agency_id": key[1], "version": version})
        entries.append((ids[key], AuditEntry.Action.CREATE, None, after))
    for key, fields, version in changed:
        previous = before[ids[key]]
        entries.append(
            (
                ids[key],
                AuditEntry.Action.UPDATE,
                previous,
                previous | fields | {"version": version},
            )
        )
    entries += [(pk, AuditEntry.Action.DELETE, before[pk], None) for pk in stale]
    _audit(entries, now)
    if stale:
        Observation.objects.filter(pk__in=stale).delete()
    return {"created": len(created), "updated": len(changed), "deleted": len(stale)}


_ENCODER = DjangoJSONEncoder()
_SKIPPED = {"created_at", "modified_at", "created_by_id", "modified_by_id"}
# The fields of a snapshot, read back for the rows a recomputation changes (the skipped ones cost
# a date parse each and are not kept).
_SNAPSHOT_FIELDS = [f.attname for f in Observation._meta.concrete_fields if f.attname not in _SKIPPED]


# Dates and times are the only values of an observation that JSON does not take as they are.
_TEMPORAL = [f.attname for f in Observation._meta.concrete_fields if isinstance(f, models.DateField)]


def _snapshot(values: dict) -> dict:
    """audit.snapshot of a row from its values(): the same keys and JSON-safe values."""
    snapshot = {k: v for k, v in values.items() if k not in _SKIPPED}
    for key in _TEMPORAL:
        value = snapshot.get(key)
        if value is not None and not isinstance(value, str):
            snapshot[key] = _ENCODER.default(value)
    return snapshot


def _upsert(rows: list[tuple], now) -> dict[tuple, int]:
    """INSERT … ON CONFLICT (indicator, agency, period, source) DO UPDATE for (key, fields, version).

    Used for the rows a recomputation creates (were one made meanwhile, it is updated instead); many
    rows per statement, which return their ids. Returns {key: id}.
    """
    if not rows:
        return {}
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
    periods = {}
    for _key, _written, _version in rows:
        code = _key[2]
        if code not in periods:
            period = Period.parse(code)
            periods[code] = {
                "period": code,
                "period_kind": period.kind,
                "period_start": day(period.start),
                "period_end": day(period.end),
            }
    base = defaults | {"created_at": stamp, "modified_at": stamp, "approved_at": stamp}
    ordered = itemgetter(*columns)
    values = []
    for (indicator_id, agency_id, code), written, version in rows:
        row = base | periods[code]
        row.update(written)
        row["indicator_id"], row["agency_id"], row["version"] = indicator_id, agency_id, version
        values.append(ordered(row))
    quote = connection.ops.quote_name
    key = ["indicator_id", "agency_id", "period"]
    updated = [*WRITTEN, "version", "modified_at"]
    statement = (
        f"INSERT INTO {quote(Observation._meta.db_table)} ({', '.join(quote(c) for c in columns)}) "
        "VALUES {values} "
        f"ON CONFLICT ({', '.join(quote(c) for c in [*key, 'source'])}) "
        f"DO UPDATE SET {', '.join(f'{quote(c)} = EXCLUDED.{quote(c)}' for c in updated)} "
        f"RETURNING {', '.join(quote(c) for c in ['id', *key])}"
    )
    row_marks = "(" + ", ".join(["%s"] * len(columns)) + ")"
    # SQLite takes 32,766 parameters a statement, PostgreSQL 65,535.
    size = max(1, min(1000, 32000 // len(columns)))
    ids = {}
    with connection.cursor() as cursor:
        for start in range(0, len(values), size):
            chunk = values[start : start + size]
            cursor.execute(
                statement.format(values=", ".join([row_marks] * len(chunk))),
                [value for row in chunk for value in row],
            )
            ids.update({(i, a, p): pk for pk, i, a, p in cursor.fetchall()})
    return ids


def _update(rows: list[tuple], now):
    """UPDATE … WHERE id for (id, written fields, version): only the columns a recomputation sets."""
    if not rows:
        return
    quote = connection.ops.quote_name
    columns = [*WRITTEN, "version", "modified_at"]
    statement = (
        f"UPDATE {quote(Observation._meta.db_table)} SET {', '.join(f'{quote(c)} = %s' for c in columns)} "
        f"WHERE {quote('id')} = %s"
    )
    stamp = connection.ops.adapt_datetimefield_value(now)
    written = itemgetter(*WRITTEN)
    values = [(*written(fields), version, stamp, pk) for pk, fields, version in rows]
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
        return None if value is None else connection.ops.adapt_json_value(value, None)

    quote = connection.ops.quote_name
    columns = ["content_type_id", "object_id", "action", "actor_id", "at", "before", "after", "reason"]
    statement = (
        f"INSERT INTO {quote(AuditEntry._meta.db_table)} ({', '.join(quote(c) for c in columns)}) VALUES "
    )
    row_marks = "(" + ", ".join(["%s"] * len(columns)) + ")"
    values = [
        (content_type, str(pk), action, None, stamp, stored(before), stored(after), REASON)
        for pk, action, before, after in entries
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(values), 1000):
            chunk = values[start : start + 1000]
            cursor.execute(
                statement + ", ".join([row_marks] * len(chunk)), [value for row in chunk for value in row]
            )
