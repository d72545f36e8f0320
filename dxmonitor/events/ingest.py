"""Ingest a batch of dossier records into the store: check, quarantine, upsert, append. No Django here.

A file is refused whole (nothing stored, a clear message) when it cannot be a batch: empty, not what
its name says, columns missing or unknown, a Parquet column of a type no field can have. Otherwise each
row is checked on its own; a bad row goes to quarantine/<batch>.csv with its reasons, the good ones
are upserted by (dossier id, version time): see sql.CLASSIFY for the outcomes. Every input row is
counted in exactly one outcome, so nothing is dropped silently.

Files and pushed records are read by `reading`; the checks are DuckDB's (TRY_CAST), the upsert is
the plain SQL of `sql`, and the stored versions of a batch's dossiers are found through the key index
(`keys`), reading only the months that hold them.
"""

import csv
import datetime
import hashlib
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dxmonitor.events import schema, sql
from dxmonitor.events.keys import sorted_unique, without_repeats
from dxmonitor.events.reading import (
    INT_TYPES,
    TIME_TYPES,
    RefusedFile,
    check_columns,
    ident,
    open_file,
    open_records,
    quote,
)
from dxmonitor.events.schema import BOOLEAN, TEXT, TIMESTAMP
from dxmonitor.events.store import KEY, Store, new_batch_id

# Times up to a day ahead of the clock pass (clock skew between systems); later ones are impossible.
FUTURE_SLACK = datetime.timedelta(days=1)


@dataclass
class Outcome:
    """What a batch did: rows per outcome, the months whose counts changed, where the quarantine is."""

    batch: str
    source: str
    rows: int = 0
    new: int = 0
    replaces: int = 0
    older: int = 0
    stored: int = 0
    duplicate: int = 0
    quarantined: int = 0
    months: list[int] = field(default_factory=list)
    quarantine_file: str = ""

    @property
    def accepted(self) -> int:
        """Rows stored: new dossiers, newer versions and older versions kept as history."""
        return self.new + self.replaces + self.older

    def as_dict(self) -> dict:
        return {
            "batch": self.batch,
            "source": self.source,
            "rows": self.rows,
            "accepted": self.accepted,
            "new": self.new,
            "replaced": self.replaces,
            "older": self.older,
            "already_stored": self.stored,
            "duplicates": self.duplicate,
            "quarantined": self.quarantined,
            "months": self.months,
            "quarantine_file": self.quarantine_file,
        }


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# Checking


def _value(name: str, kind: str) -> tuple[str, str]:
    """SQL for a field's typed value and for "the input has a value that does not parse"."""
    column = f"raw_input.{ident(name)}"
    expected = schema.BY_NAME[name].type
    if kind == '"NULL"':
        return "NULL", "false"
    text = f"NULLIF(trim(CAST({column} AS VARCHAR)), '')"
    if kind == "JSON":
        text = f"NULLIF(trim({column} ->> '$'), '')"
    if expected == TEXT:
        return text, "false"
    if expected == BOOLEAN:
        if kind == "BOOLEAN":
            return f"CAST({column} AS TINYINT)", "false"
        if kind in INT_TYPES:
            value = f"CASE WHEN {column} = 1 THEN 1 WHEN {column} = 0 THEN 0 END"
            return f"CAST({value} AS TINYINT)", f"({column} IS NOT NULL AND {column} NOT IN (0, 1))"
        value = (
            f"CASE lower({text}) WHEN 'true' THEN 1 WHEN '1' THEN 1 WHEN 'false' THEN 0 WHEN '0' THEN 0 END"
        )
        return f"CAST({value} AS TINYINT)", f"({text} IS NOT NULL AND ({value}) IS NULL)"
    if kind in TIME_TYPES:
        return f"CAST({column} AS TIMESTAMP)", "false"
    # Text with an offset is converted to Vietnam time; text without one is Vietnam time already.
    value = f"CAST(TRY_CAST({text} AS TIMESTAMP WITH TIME ZONE) AS TIMESTAMP)"
    return value, f"({text} IS NOT NULL AND {value} IS NULL)"


def _checked_sql(types: dict[str, str], now: datetime.datetime) -> str:
    """SELECT of every input row with its typed fields and `reason` ('' when the row is good).

    Each field is parsed once (the inner `typed`); the checks then read the typed columns.
    """
    parsed, problems = [], {}
    for name in schema.FIELD_NAMES:
        value, bad = _value(name, types[name]) if name in types else ("NULL", "false")
        parsed.append(f"{value} AS {name}")
        if bad != "false":
            problems[name] = f"t.bad_{name}"
            parsed.append(f"{bad} AS bad_{name}")
            parsed.append(f"CAST(raw_input.{ident(name)} AS VARCHAR) AS raw_{name}")
    channels = " ".join(f"WHEN {quote(k)} THEN {c}" for k, c in schema.CHANNELS.items())
    states = " ".join(f"WHEN {quote(k)} THEN {c}" for k, c in schema.STATES.items())
    limit = quote((now + FUTURE_SLACK).strftime("%Y-%m-%d %H:%M:%S"))
    receiving = ", ".join(quote(k) for k in schema.RECEIVING_KINDS)
    # (condition, message): a row is bad when any condition holds; messages are built for bad rows only.
    checks = []
    for f in schema.FIELDS:
        if f.name in problems:
            what = {BOOLEAN: "true or false", TIMESTAMP: "an ISO 8601 time"}[f.type]
            checks.append((problems[f.name], f"'{f.name} is not {what}: ' || t.raw_{f.name}"))
        if f.required:
            parse_ok = f"NOT {problems[f.name]} AND " if f.name in problems else ""
            checks.append((f"{parse_ok}t.{f.name} IS NULL", f"'{f.name} is empty'"))
    valid_on = (
        "((ag.valid_from IS NOT NULL AND CAST(t.submitted_at AS DATE) < ag.valid_from) OR "
        "(ag.valid_to IS NOT NULL AND CAST(t.submitted_at AS DATE) > ag.valid_to))"
    )
    completed_ok = f"NOT {problems['completed_at']} AND " if "completed_at" in problems else ""
    checks += [
        (
            f"length(t.dossier_id) > {schema.MAX_ID_LENGTH}",
            f"'dossier_id is longer than {schema.MAX_ID_LENGTH} characters'",
        ),
        (
            "t.channel IS NOT NULL AND t.channel_code IS NULL",
            f"'channel ' || t.channel || ' is not one of {', '.join(schema.CHANNELS)}'",
        ),
        (
            "t.state IS NOT NULL AND t.state_code IS NULL",
            f"'state ' || t.state || ' is not one of {', '.join(schema.STATES)}'",
        ),
        (
            "t.agency_code IS NOT NULL AND ag.agency_id IS NULL",
            "'agency_code ' || t.agency_code || ' is not in the agency registry'",
        ),
        (
            f"ag.agency_id IS NOT NULL AND ag.kind NOT IN ({receiving})",
            "'agency ' || ag.code || ' (' || ag.kind || ') does not receive dossiers'",
        ),
        (
            f"ag.agency_id IS NOT NULL AND t.submitted_at IS NOT NULL AND {valid_on}",
            "'agency ' || ag.code || ' did not exist on the submission date'",
        ),
        ("t.due_at < t.submitted_at", "'due_at is before submitted_at'"),
        ("t.completed_at < t.submitted_at", "'completed_at is before submitted_at'"),
        ("t.version_time < t.submitted_at", "'version_time is before submitted_at'"),
        ("t.completed_at > t.version_time", "'completed_at is after version_time'"),
        (
            f"t.state_code = {schema.DONE} AND {completed_ok}t.completed_at IS NULL",
            "'state is done but completed_at is empty'",
        ),
        (f"t.submitted_at > TIMESTAMP {limit}", "'submitted_at is in the future'"),
        (f"t.version_time > TIMESTAMP {limit}", "'version_time is in the future'"),
    ]
    any_bad = " OR ".join(f"({condition})" for condition, _ in checks)
    reasons = ", ".join(f"CASE WHEN {condition} THEN {message} END" for condition, message in checks)
    return f"""
    SELECT t.row_number,
        t.dossier_id,
        {KEY.format("t.dossier_id")} AS dossier_key,
        t.version_time,
        ag.agency_id,
        t.service_code,
        t.fully_online_service,
        t.channel_code AS channel,
        t.state_code AS state,
        t.submitted_at,
        t.due_at,
        t.completed_at,
        t.digital_result,
        t.data_reused,
        t.digitised,
        t.paid_online,
        CAST(CASE WHEN t.state_code = {schema.DONE} THEN
            CASE WHEN t.due_at IS NULL OR t.completed_at <= t.due_at THEN 1 ELSE 0 END END AS TINYINT) AS on_time,
        CAST(COALESCE(t.synthetic, 0) AS TINYINT) AS synthetic,
        CAST(year(t.submitted_at) * 100 + month(t.submitted_at) AS INTEGER) AS month,
        CASE WHEN {any_bad} THEN concat_ws('; ', {reasons}) ELSE '' END AS reason
    FROM (
        SELECT *,
            CAST(CASE lower(channel) {channels} END AS TINYINT) AS channel_code,
            CAST(CASE lower(state) {states} END AS TINYINT) AS state_code
        FROM (SELECT raw_input.row_number, {", ".join(parsed)} FROM raw_input) typed
    ) t
    LEFT JOIN agency_map ag ON ag.code = t.agency_code
    """


# The batch


def ingest(
    store: Store,
    con,
    agencies: pa.Table,
    *,
    path: Path | None = None,
    records: list[dict] | None = None,
    batch: str | None = None,
    now: datetime.datetime | None = None,
    step=lambda name, rows=0: None,
) -> Outcome:
    """Check and store one batch (a file, or pushed records); the caller holds the store's lock.

    The input is read CHUNK rows at a time; each chunk is checked and upserted against what is stored
    and what the earlier chunks staged, and the whole batch is moved into the store at the end, so a
    file refused half-way leaves the store as it was.

    Args:
        store, con: the store and a connection from store.connect.
        agencies: the registry as services.agency_table() exports it.
        path / records: a CSV, Parquet or JSON Lines file, or a list of JSON objects.
        batch: the batch id (new_batch_id() when not given).
        now: the local time that "in the future" is measured from (default: now, Vietnam time).
        step: called with each step's name as it starts, and (name, rows) as chunks are done, for a
            progress bar.

    Raises:
        RefusedFile: the input is not a batch; nothing was stored.
    """
    now = now or datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=7))).replace(tzinfo=None)
    batch = batch or new_batch_id()
    step("read")
    source = open_file(path) if path is not None else open_records(records)
    staged = store.staging / batch
    try:
        check_columns(source.label, source.types)
        con.register("agency_map", agencies)
        outcome = Outcome(batch=batch, source=str(path) if path is not None else "api")
        months: set[int] = set()
        quarantines, deltas = [], []
        step("check and upsert")
        for number, chunk in enumerate(source.chunks()):
            rows = chunk.num_rows
            chunk = chunk.append_column(
                "row_number", pa.array(range(outcome.rows + 1, outcome.rows + rows + 1), pa.int64())
            )
            quarantine = staged / f"quarantine-{number}.csv"
            changed, delta = _chunk(
                store, con, chunk, staged / f"chunk-{number}", quarantine, batch, number, now, outcome
            )
            months |= changed
            deltas.append(delta)
            if quarantine.exists():
                quarantines.append(quarantine)
            outcome.rows += rows
            step("check and upsert", rows)
        rejects = source.rejects()
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)  # nothing of a batch refused half-way is kept
        raise
    finally:
        source.close()
    if outcome.rows == 0 and not rejects:
        shutil.rmtree(staged, ignore_errors=True)
        raise RefusedFile(f"{source.label}: the file has no records")
    step("write")
    outcome.rows += len(rejects)
    outcome.quarantined += len(rejects)
    if quarantines or rejects:
        outcome.quarantine_file = _merge_quarantine(store.quarantine / f"{batch}.csv", quarantines, rejects)
    if staged.exists():
        _write_deltas(store, con, batch, deltas)
        # The index first: it may name keys whose files a crash kept from being published, never less.
        staged_keys = store.staged_keys(batch)
        for month in staged_keys.months():
            store.keys.add(month, staged_keys.read(month))
        (staged / "COMPLETE").touch()
        store.publish(staged)
    outcome.months = sorted(months)
    counted = outcome.accepted + outcome.stored + outcome.duplicate + outcome.quarantined
    if counted != outcome.rows:
        raise RuntimeError(f"{outcome.rows} rows in, {counted} accounted for")
    return outcome


def _chunk(
    store, con, chunk, staged: Path, quarantine: Path, batch, number, now, outcome
) -> tuple[set[int], pa.Table]:
    """Check and upsert one chunk into staged/; returns the months whose counts it changes and the
    counts of what it wrote (sql.AGENCY_MONTH over its rows)."""
    con.register("raw_input", chunk)
    types = {name: str(kind) for name, kind, *_ in con.execute("DESCRIBE raw_input").fetchall()}
    types.pop("row_number")
    con.execute(f"CREATE OR REPLACE TEMP TABLE checked AS {_checked_sql(types, now)}")
    bad = con.execute("SELECT COUNT(*) FROM checked WHERE reason <> ''").fetchall()[0][0]
    if bad:
        outcome.quarantined += bad
        quarantine.parent.mkdir(parents=True, exist_ok=True)
        _write_quarantine(con, quarantine, types)
    columns = ", ".join(schema.STORED_COLUMNS)
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW batch AS SELECT row_number, {columns}, month FROM checked WHERE reason = ''"
    )
    _look_up(store, con, batch)
    con.execute(f"CREATE OR REPLACE TEMP TABLE classified AS {sql.CLASSIFY}")
    con.execute("DROP VIEW batch")
    con.execute("DROP TABLE checked")
    con.unregister("raw_input")
    counts = dict(con.execute("SELECT outcome, COUNT(*) FROM classified GROUP BY outcome").fetchall())
    for name, count in counts.items():
        setattr(outcome, name, getattr(outcome, name) + count)
    con.execute(f"CREATE OR REPLACE TEMP TABLE retracted AS {sql.RETRACTED}")
    retracted_months = {m for (m,) in con.execute("SELECT DISTINCT month FROM retracted").fetchall()}
    store.view(
        con,
        "dossier_rows",
        store.files(retracted_months, signs=[1]) + store.staged_files(batch, retracted_months, signs=[1]),
    )
    con.execute(f"CREATE OR REPLACE TEMP TABLE retracted_rows AS {sql.RETRACTED_ROWS}")
    retracted = con.execute("SELECT COUNT(*) FROM retracted_rows").fetchall()[0][0]
    if retracted != counts.get("replaces", 0):
        raise RuntimeError(f"{counts.get('replaces', 0)} replacing rows but {retracted} retractions")
    con.execute(
        f"""CREATE OR REPLACE TEMP VIEW dossier_rows AS
            SELECT {columns}, month,
                CAST(CASE WHEN outcome IN ('new', 'replaces') THEN 1 ELSE 0 END AS TINYINT) AS sign
            FROM classified WHERE outcome IN ('new', 'replaces', 'older')
            UNION ALL
            SELECT {columns}, month, CAST(-1 AS TINYINT) AS sign FROM retracted_rows"""
    )
    if counts.get("new", 0) + counts.get("replaces", 0) + counts.get("older", 0):
        staged.parent.mkdir(parents=True, exist_ok=True)
        con.execute(
            f"""COPY (SELECT * FROM dossier_rows) TO {quote(str(staged))} (FORMAT parquet,
                PARTITION_BY (month, sign), FILENAME_PATTERN '{batch}_{number}x{{i}}')"""
        )
    # What these rows add to their months' counts: folding the batch in reads this, not its files.
    delta = con.sql(sql.AGENCY_MONTH).to_arrow_table()
    _index_staged(store, con, batch)
    months = {
        m
        for (m,) in con.execute(
            "SELECT DISTINCT month FROM classified WHERE outcome IN ('new', 'replaces')"
        ).fetchall()
    }
    con.execute("DROP VIEW dossier_rows")
    for table in ("stored", "classified", "retracted", "retracted_rows"):
        con.execute(f"DROP TABLE IF EXISTS {table}")
    return months | retracted_months, delta


def _write_deltas(store: Store, con, batch: str, deltas: list[pa.Table]):
    """The batch's counts per agency, one staged file per month (sql.AGENCY_MONTH's shape)."""
    tables = [d for d in deltas if d.num_rows]
    if not tables:
        return
    con.register("deltas", pa.concat_tables(tables, promote_options="permissive"))
    total = con.sql(sql.SUM_DELTAS + " ORDER BY month, agency_id").to_arrow_table()
    con.unregister("deltas")
    for month in sorted(set(total["month"].to_pylist())):
        store.write_staged_delta(batch, month, total.filter(pc.equal(total["month"], month)))


def _look_up(store: Store, con, batch: str):
    """`stored`: the stored rows (key, version time, month, sign) of the chunk's dossiers.

    The key index says in which months each dossier has rows (the store's, and what earlier chunks of
    this batch staged); only those months are read, and only for the keys found there.
    """
    indexes = [i for i in (store.keys, store.staged_keys(batch)) if i.months()]
    found: dict[int, list] = {}
    if indexes:
        keys = con.sql("SELECT DISTINCT dossier_key FROM batch ORDER BY 1").fetchnumpy()["dossier_key"]
        for index in indexes:
            for month, hits in index.found(keys).items():
                found.setdefault(month, []).append(hits)
    months = sorted(found)
    if not months:
        con.execute(
            "CREATE OR REPLACE TEMP TABLE stored AS SELECT dossier_key, version_time, month, "
            "CAST(NULL AS TINYINT) AS sign FROM batch WHERE false"
        )
        return
    con.register(
        "found_keys",
        pa.table({"dossier_key": sorted_unique(np.concatenate([h for hs in found.values() for h in hs]))}),
    )
    store.view(con, "dossier_rows", store.files(months) + store.staged_files(batch, months))
    con.execute(
        "CREATE OR REPLACE TEMP TABLE stored AS SELECT dossier_key, version_time, month, sign "
        "FROM dossier_rows WHERE dossier_key IN (SELECT dossier_key FROM found_keys)"
    )
    con.unregister("found_keys")


def _index_staged(store: Store, con, batch: str):
    """Add the keys of the rows this chunk staged to the batch's staged key index, month by month."""
    rows = con.sql(
        "SELECT month, dossier_key FROM classified WHERE outcome IN ('new', 'replaces', 'older') "
        "ORDER BY month, dossier_key"
    ).fetchnumpy()
    if not len(rows["month"]):
        return
    months, keys = rows["month"], rows["dossier_key"]
    starts = np.flatnonzero(np.r_[True, months[1:] != months[:-1]])
    ends = np.r_[starts[1:], len(months)]
    index = store.staged_keys(batch)
    for start, end in zip(starts, ends, strict=True):
        index.add(int(months[start]), without_repeats(keys[start:end]))


def _write_quarantine(con, path: Path, types: dict[str, str]):
    """The chunk's bad rows: row, reason and the fields as they came."""
    fields = ", ".join(
        f"CAST(raw_input.{ident(n)} AS VARCHAR) AS {n}" if n in types else f"NULL AS {n}"
        for n in schema.FIELD_NAMES
    )
    rows = f"""
        SELECT c.row_number AS "row", c.reason, {fields}
        FROM checked c JOIN raw_input ON raw_input.row_number = c.row_number
        WHERE c.reason <> ''
        ORDER BY 1"""
    con.execute(f"COPY ({rows}) TO {quote(str(path))} (HEADER, DELIMITER ',')")


def _merge_quarantine(path: Path, parts: list[Path], rejects: list[tuple]) -> str:
    """quarantine/<batch>.csv from the chunks' files, then the CSV lines that could not be read."""
    header = ",".join(["row", "reason", *schema.FIELD_NAMES])
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write(header + "\n")
        for part in parts:
            with open(part, encoding="utf-8", newline="") as handle:
                handle.readline()
                shutil.copyfileobj(handle, out)
        writer = csv.writer(out, lineterminator="\n")
        for line, message in rejects:
            writer.writerow(
                ["", f"line {line} of the file cannot be read: {message}"] + [""] * len(schema.FIELD_NAMES)
            )
    return str(path)
