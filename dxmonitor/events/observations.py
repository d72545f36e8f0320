"""The computed indicators (EV.*) and their observations, written from the event figures.

Observations are written for the provinces, central agencies and the nation under the period map
(the agencies that existed in the month); communes' figures stay in the event aggregates, since
3,321 communes × 8 indicators × 12 months a year would be most of the observation table and communes
do not report to the committee.

A recomputation writes thousands of rows at once, so rows whose written fields are unchanged are left
alone, new rows are inserted many per statement (INSERT … ON CONFLICT) and changed ones updated by id,
and each is audited with one entry, the one audit.record would make, written by INSERT … SELECT with
the snapshot built in the database (audit.snapshot_sql). Django's bulk_update and per-row
audit.record took seconds; encoding every snapshot in Python was a fifth of a full recomputation of
50 million records. The time to have the indicators current again is measured (`bench events`).
"""

from operator import itemgetter

import psycopg
import pyarrow as pa
import pyarrow.compute as pc
from django.contrib.contenttypes.models import ContentType
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
SYNTHETIC_NOTE = "Dữ liệu minh họa (synthetic) — tính từ hồ sơ thủ tục hành chính mẫu."
COMPUTED_NOTE = "Tính từ hồ sơ thủ tục hành chính (computed from dossier records)."
REASON = "Computed from public-service dossier records"
# What a recomputation sets; the rest of a computed row keeps its defaults.
WRITTEN = ["value", "numerator", "denominator", "text", "note", "definition_id"]
# What changes on a computed row when its figures do.
CHANGED = [*WRITTEN, "version", "modified_at"]


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
    # Per measure and month: the indicator and the definition in force, looked up once, not per row.
    measures = []
    for measure, numerator, denominator, *_ in schema.MEASURES:
        indicator = indicators[measure]
        versions = definitions.get(indicator.pk, [])
        in_force = {m: indicator_services.in_force(versions, period) for m, period in periods.items()}
        by_month = {m: definition.pk if definition else None for m, definition in in_force.items()}
        measures.append(
            (indicator.pk, columns[numerator], columns[denominator] if denominator else None, by_month)
        )
    codes = {m: period.code for m, period in periods.items()}
    found = {}
    for i, (agency_id, month) in enumerate(zip(columns["agency_id"], columns["month"], strict=True)):
        code = codes[month]
        note = SYNTHETIC_NOTE if columns["synthetic"][i] else COMPUTED_NOTE
        for indicator_id, numerators, denominators, definition_ids in measures:
            num = numerators[i]
            if denominators is None:
                value, numerator, denominator = float(num), None, None
                text = f"{num:,} hồ sơ".replace(",", ".")
            elif den := denominators[i]:
                value, numerator, denominator = round(100 * num / den, 4), float(num), float(den)
                text = f"{num:,}/{den:,}".replace(",", ".")
            else:
                continue  # no dossier to take a share of
            found[(indicator_id, agency_id, code)] = {
                "value": value,
                "numerator": numerator,
                "denominator": denominator,
                "text": text,
                "note": note,
                "definition_id": definition_ids[month],
            }
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
            changed.append((row[0], fields, row[4] + 1))
    stale = [row[0] for key, row in existing.items() if key not in target]
    if not (created or changed or stale):
        return {"created": 0, "updated": 0, "deleted": 0}
    now = timezone.now()
    # Rows in the order of the unique index (indicator, agency, period): its pages fill in turn.
    created.sort(key=itemgetter(0))
    with _Writer(now) as writer:
        writer.audit(stale, AuditEntry.Action.DELETE)
        writer.delete(stale)
        entries = writer.audit([pk for pk, _f, _v in changed], AuditEntry.Action.UPDATE)
        writer.update(changed)
        writer.audit_after(entries)
        writer.audit(writer.insert(created), AuditEntry.Action.CREATE)
    return {"created": len(created), "updated": len(changed), "deleted": len(stale)}


class _Writer:
    """The statements of a write, on the database driver's own cursor, with the rows' audit entries.

    A recomputation writes thousands of rows at once. Django's cursor rewrites the placeholders of
    every statement with a regular expression (SQLite) or quotes every parameter into the statement
    (PostgreSQL), and audit entries built in Python cost a JSON encoding each; here statements carry
    the driver's own placeholders and parameters, and the database builds each entry's
    snapshot itself (audit.snapshot_sql) from the row as it is before or after the change: the
    entries are those audit.record would store.
    """

    # SQLite takes 32,766 parameters a statement.
    IDS_PER_STATEMENT = 10_000

    def __init__(self, now):
        self.postgres = connection.vendor == "postgresql"
        self.mark = "%s" if self.postgres else "?"
        self.stamp = connection.ops.adapt_datetimefield_value(now)
        self.quote = connection.ops.quote_name
        self.table = self.quote(Observation._meta.db_table)
        self.snapshot = audit.snapshot_sql(Observation, "o")

    def __enter__(self):
        connection.ensure_connection()
        if self.postgres:
            # Django's PostgreSQL cursors bind parameters on the client, quoting each into the text of
            # the statement; with thousands a statement that took seconds. This one sends them apart.
            self.cursor = psycopg.Cursor(connection.connection)
        else:
            self.cursor = connection.connection.cursor()
        return self

    def __exit__(self, *exc):
        self.cursor.close()

    def _ids(self, column: str, ids: list[int]):
        """(condition, parameters) that pick these ids: PostgreSQL takes them as one array, SQLite in
        runs of IDS_PER_STATEMENT placeholders."""
        if not ids:
            return
        if self.postgres:
            yield f"{column} = ANY({self.mark})", [list(ids)]
            return
        for start in range(0, len(ids), self.IDS_PER_STATEMENT):
            chunk = ids[start : start + self.IDS_PER_STATEMENT]
            yield f"{column} IN ({', '.join([self.mark] * len(chunk))})", chunk

    def audit(self, ids: list[int], action: str) -> list[int]:
        """One audit entry per row: its snapshot as "after" when created, else as "before"; their ids."""
        if not ids:
            return []
        q, mark = self.quote, self.mark
        columns = ["content_type_id", "object_id", "action", "actor_id", "at", "before", "after", "reason"]
        created = action == AuditEntry.Action.CREATE
        snapshots = f"NULL, {self.snapshot}" if created else f"{self.snapshot}, NULL"
        content_type = ContentType.objects.get_for_model(Observation).pk
        entries = []
        for condition, chosen in self._ids(f"o.{q('id')}", ids):
            self.cursor.execute(
                f"INSERT INTO {q(AuditEntry._meta.db_table)} ({', '.join(q(c) for c in columns)}) "
                f"SELECT {mark}, CAST(o.{q('id')} AS VARCHAR(64)), {mark}, NULL, {mark}, {snapshots}, {mark} "
                f"FROM {self.table} o WHERE {condition} ORDER BY o.{q('id')} "
                f"RETURNING {q('id')}",
                [content_type, action, self.stamp, REASON, *chosen],
            )
            entries += [row[0] for row in self.cursor.fetchall()]
        return entries

    def audit_after(self, entries: list[int]):
        """Fill in "after" of these entries (made by audit(…, UPDATE)) from their rows as they are now."""
        q = self.quote
        table = q(AuditEntry._meta.db_table)
        for condition, chosen in self._ids(q("id"), entries):
            self.cursor.execute(
                f"UPDATE {table} SET {q('after')} = (SELECT {self.snapshot} FROM {self.table} o "
                f"WHERE o.{q('id')} = CAST({table}.{q('object_id')} AS BIGINT)) WHERE {condition}",
                chosen,
            )

    def delete(self, ids: list[int]):
        for condition, chosen in self._ids(self.quote("id"), ids):
            self.cursor.execute(f"DELETE FROM {self.table} WHERE {condition}", chosen)

    def update(self, rows: list[tuple]):
        """UPDATE … WHERE id for (id, written fields, version): only the columns a recomputation sets.

        SQLite runs one statement per row (in C, no round trip); PostgreSQL takes every row at once, as
        one array per column (UPDATE … FROM UNNEST).
        """
        if not rows:
            return
        q, mark = self.quote, self.mark
        written = itemgetter(*WRITTEN)
        values = [(*written(f), version, self.stamp, pk) for pk, f, version in rows]
        if not self.postgres:
            assignments = ", ".join(f"{q(c)} = {mark}" for c in CHANGED)
            self.cursor.executemany(f"UPDATE {self.table} SET {assignments} WHERE {q('id')} = {mark}", values)
            return
        names = [f"u{index}" for index in range(len(CHANGED) + 1)]
        arrays, parameters = _arrays([Observation._meta.get_field(c) for c in [*CHANGED, "id"]], values)
        assignments = ", ".join(f"{q(c)} = u.{name}" for c, name in zip(CHANGED, names[:-1], strict=True))
        self.cursor.execute(
            f"UPDATE {self.table} SET {assignments} FROM UNNEST({arrays}) AS u({', '.join(names)}) "
            f"WHERE {self.table}.{q('id')} = u.{names[-1]}",
            parameters,
        )

    def insert(self, rows: list[tuple]) -> list[int]:
        """INSERT … ON CONFLICT (indicator, agency, period, source) DO UPDATE for (key, fields, version).

        Used for the rows a recomputation creates (were one made meanwhile, it is updated instead); many
        rows per statement, which return their ids.
        """
        if not rows:
            return []
        fields = [f for f in Observation._meta.concrete_fields if not f.primary_key]
        template = Observation(source=Source.COMPUTED, state=State.APPROVED)
        defaults = {f.attname: f.get_db_prep_save(getattr(template, f.attname), connection) for f in fields}
        columns = [f.attname for f in fields]
        periods = {
            code: {
                name: Observation._meta.get_field(name).get_db_prep_save(value, connection)
                for name, value in indicator_services.period_fields(Period.parse(code)).items()
            }
            for code in {key[2] for key, _written, _version in rows}
        }
        stamp = self.stamp
        base = defaults | {"created_at": stamp, "modified_at": stamp, "approved_at": stamp}
        # Each row is the template's values with its own put in place (by position: rows are many).
        slot = {c: i for i, c in enumerate(columns)}
        template_row = [base[c] for c in columns]
        by_period = {code: [(slot[k], v) for k, v in values.items()] for code, values in periods.items()}
        written_slots = [(slot[k], k) for k in WRITTEN]
        keys = slot["indicator_id"], slot["agency_id"], slot["version"]
        values = []
        for (indicator_id, agency_id, code), written, version in rows:
            row = template_row.copy()
            for i, value in by_period[code]:
                row[i] = value
            for i, name in written_slots:
                row[i] = written[name]
            row[keys[0]], row[keys[1]], row[keys[2]] = indicator_id, agency_id, version
            values.append(row)
        q = self.quote
        key = ["indicator_id", "agency_id", "period", "source"]
        statement = (
            f"INSERT INTO {self.table} ({', '.join(q(c) for c in columns)}) {{rows}} "
            f"ON CONFLICT ({', '.join(q(c) for c in key)}) "
            f"DO UPDATE SET {', '.join(f'{q(c)} = EXCLUDED.{q(c)}' for c in CHANGED)} "
            f"RETURNING {q('id')}"
        )
        ids = []
        for rows_sql, parameters in self._rows(fields, values):
            self.cursor.execute(statement.format(rows=rows_sql), parameters)
            ids += [row[0] for row in self.cursor.fetchall()]
        return ids

    def _rows(self, fields, values: list[list]):
        """(rows as SQL, parameters) for an INSERT: PostgreSQL takes one array per column (UNNEST), so
        one statement of few parameters; SQLite multi-row VALUES, as many rows as its parameters allow."""
        if self.postgres:
            arrays, parameters = _arrays(fields, values)
            yield f"SELECT * FROM UNNEST({arrays})", parameters
            return
        row_marks = "(" + ", ".join([self.mark] * len(fields)) + ")"
        size = max(1, min(1000, 32000 // len(fields)))
        for start in range(0, len(values), size):
            chunk = values[start : start + size]
            yield f"VALUES {', '.join([row_marks] * len(chunk))}", [value for row in chunk for value in row]


def _arrays(fields, rows: list) -> tuple[str, list[list]]:
    """PostgreSQL: the rows as one typed array parameter per field (binary), for UNNEST(…)."""
    arrays = ", ".join(f"%b::{f.cast_db_type(connection)}[]" for f in fields)
    return arrays, [list(column) for column in zip(*rows, strict=True)]
