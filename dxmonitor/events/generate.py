"""Synthetic dossier records, vectorised in DuckDB: the same seed gives the same rows. No Django here.

Every record is marked synthetic. Dossiers are spread over MONTHS (six before the 2025 province merger
and six after), each received by an agency that existed throughout its month: a ministry, one of the
63 provinces before 2025-07-01, and after it one of the 34 provinces or one of today's communes.
Agencies differ in how much they do online, so roll-ups and rankings have something to show.
Rows are a pure function of (seed, row number); `hash` is DuckDB's, so the same DuckDB version gives
the same file.
"""

import datetime
import math
from pathlib import Path

import pyarrow as pa

from dxmonitor.core.periods import Period
from dxmonitor.events import schema
from dxmonitor.events.reading import quote

MONTHS = [schema.month_code(2025, m) for m in range(1, 13)]
MERGE_MONTH = schema.month_code(2025, 7)
# Shares of dossiers by receiving level: before the merger provinces received what communes do now.
CENTRAL_SHARE, PROVINCE_SHARE = 0.12, 0.18


def _month_bounds(code: int) -> tuple[datetime.date, datetime.date]:
    month = Period("month", *divmod(code, 100))
    return month.start, month.end


def pools(agencies: pa.Table, months=MONTHS) -> pa.Table:
    """Agencies that receive dossiers throughout each month: (month_index, pool, idx, agency_id, code)."""
    rows = {"month_index": [], "pool": [], "idx": [], "agency_id": [], "code": []}
    listing = sorted(agencies.to_pylist(), key=lambda a: a["code"])
    for index, month in enumerate(months):
        first, last = _month_bounds(month)
        groups = {"central": [], "province": [], "commune": []}
        for a in listing:
            if a["kind"] not in schema.RECEIVING_KINDS:
                continue
            if (a["valid_from"] and a["valid_from"] > first) or (a["valid_to"] and a["valid_to"] < last):
                continue
            groups["central" if a["kind"] in schema.CENTRAL_KINDS else a["kind"]].append(a)
        for pool, members in groups.items():
            for i, a in enumerate(members):
                rows["month_index"].append(index)
                rows["pool"].append(pool)
                rows["idx"].append(i)
                rows["agency_id"].append(a["agency_id"])
                rows["code"].append(a["code"])
    return pa.table(rows)


def _u(key: str, k: int) -> str:
    """A uniform number in [0, 1) from hash(key, seed, k)."""
    return f"((hash({key}, $seed, {k}) % 1000003) / 1000003.0)"


def _rows_sql(ids: str) -> str:
    """Records for `ids`, a relation (i, month_index) aliased `ids`; `months(month_index, first,
    seconds)`, `pool` and `pool_size` must be bound."""
    channel_online = f"({_u('i', 5)} < p_online + CASE WHEN fully_online_service THEN 0.15 ELSE 0 END)"
    return f"""
    WITH picked AS (
        SELECT ids.i, ids.month_index, m.first, m.seconds, m.code AS month,
            CASE WHEN m.code < {MERGE_MONTH}
                THEN CASE WHEN {_u("ids.i", 1)} < {CENTRAL_SHARE} THEN 'central' ELSE 'province' END
                ELSE CASE WHEN {_u("ids.i", 1)} < {CENTRAL_SHARE} THEN 'central'
                          WHEN {_u("ids.i", 1)} < {CENTRAL_SHARE + PROVINCE_SHARE} THEN 'province'
                          ELSE 'commune' END
            END AS pool
        FROM {ids} JOIN months m ON m.month_index = ids.month_index
    ),
    sized AS (
        SELECT p.*, CAST(hash(p.i, $seed, 2) % s.n AS INTEGER) AS pick
        FROM picked p JOIN pool_size s ON s.month_index = p.month_index AND s.pool = p.pool
    ),
    placed AS (
        SELECT p.*, a.agency_id, a.code AS agency_code,
            0.30 + 0.60 * ((hash(a.agency_id, $seed, 20) % 1000) / 1000.0) AS p_online,
            0.70 + 0.29 * ((hash(a.agency_id, $seed, 21) % 1000) / 1000.0) AS p_on_time,
            0.20 + 0.70 * ((hash(a.agency_id, $seed, 22) % 1000) / 1000.0) AS p_digital,
            0.10 + 0.70 * ((hash(a.agency_id, $seed, 23) % 1000) / 1000.0) AS p_reuse,
            0.40 + 0.55 * ((hash(a.agency_id, $seed, 24) % 1000) / 1000.0) AS p_digitised,
            (hash(p.i, $seed, 4) % 3000) AS service,
            p.first + CAST(floor({_u("p.i", 3)} * p.seconds) AS BIGINT) * INTERVAL 1 SECOND AS submitted_at,
            {_u("p.i", 6)} AS u_state,
            {_u("p.i", 7)} AS u_due,
            {_u("p.i", 9)} AS u_late
        FROM sized p
        JOIN pool a ON a.month_index = p.month_index AND a.pool = p.pool AND a.idx = p.pick
    ),
    shaped AS (
        SELECT *,
            (hash(service, $seed, 5) % 100) < 45 AS fully_online_service,
            (hash(service, $seed, 8) % 100) < 40 AS charges_fee,
            CASE WHEN u_state < 0.80 THEN 'done' WHEN u_state < 0.88 THEN 'processing'
                 WHEN u_state < 0.92 THEN 'received' WHEN u_state < 0.95 THEN 'supplement_requested'
                 WHEN u_state < 0.98 THEN 'rejected' ELSE 'withdrawn' END AS state,
            CASE WHEN u_due < 0.1 THEN NULL ELSE 1 + floor(u_due * 14) END AS due_days
        FROM placed
    ),
    timed AS (
        SELECT *,
            CASE WHEN due_days IS NULL THEN NULL
                 ELSE submitted_at + CAST(due_days AS BIGINT) * INTERVAL 1 DAY END AS due_at,
            CASE WHEN state IN ('done', 'rejected', 'withdrawn') THEN
                submitted_at + CAST(floor(3600 * 24 * CASE
                    WHEN due_days IS NULL THEN u_late
                    WHEN u_late < p_on_time THEN due_days * u_late / p_on_time
                    ELSE due_days + 0.2 + 5 * (u_late - p_on_time) END) AS BIGINT) * INTERVAL 1 SECOND
            END AS completed_at
        FROM shaped
    )
    SELECT
        'SYN' || CAST($seed AS VARCHAR) || '-' || CAST(month AS VARCHAR) || '-' || CAST(i AS VARCHAR) AS dossier_id,
        agency_code,
        '1.' || lpad(CAST(service AS VARCHAR), 6, '0') AS service_code,
        fully_online_service,
        CASE WHEN {channel_online} THEN 'online'
             WHEN {_u("i", 10)} < 0.9 THEN 'in_person' ELSE 'post' END AS channel,
        submitted_at,
        due_at,
        completed_at,
        state,
        state = 'done' AND {_u("i", 11)} < p_digital AS digital_result,
        {_u("i", 12)} < p_reuse AS data_reused,
        {_u("i", 13)} < p_digitised AS digitised,
        CASE WHEN charges_fee THEN {_u("i", 14)} < CASE WHEN {channel_online} THEN 0.8 ELSE 0.2 END END
            AS paid_online,
        COALESCE(completed_at, submitted_at) + INTERVAL 1 HOUR AS version_time,
        true AS synthetic
    FROM timed
    """


def _bind(con, agencies: pa.Table, months):
    table = pools(agencies, months)
    con.register("pool", table)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE pool_size AS SELECT month_index, pool, COUNT(*) AS n FROM pool GROUP BY ALL"
    )
    bounds = [_month_bounds(m) for m in months]
    con.register(
        "months",
        pa.table(
            {
                "month_index": list(range(len(months))),
                "code": months,
                "first": [datetime.datetime.combine(first, datetime.time()) for first, _ in bounds],
                "seconds": [((last - first).days + 1) * 86400 for first, last in bounds],
            }
        ),
    )


OPTIONS = {".parquet": "FORMAT parquet", ".csv": "FORMAT csv, HEADER", ".jsonl": "FORMAT json"}


def _target(out: Path) -> Path:
    out = Path(out)
    if out.suffix.lower() not in OPTIONS:
        raise ValueError(f"{out.name}: write .parquet, .csv or .jsonl")
    out.parent.mkdir(parents=True, exist_ok=True)
    return out


def _write(con, query: str, out: Path, params: dict):
    con.execute(f"COPY ({query}) TO {quote(str(out))} ({OPTIONS[out.suffix.lower()]})", params)


def generate(con, agencies: pa.Table, out: Path, rows: int, seed: int, months=MONTHS) -> int:
    """Write `rows` synthetic first versions of dossiers, rows i = 0…rows-1 in month order."""
    out = _target(out)
    _bind(con, agencies, months)
    ids = (
        f"(SELECT i, CAST(i * {len(months)} // {rows} AS INTEGER) AS month_index FROM range({rows}) r(i)) ids"
    )
    # Streamed straight to the file with no ORDER BY, so memory stays flat; the plan is the same every
    # time, and so is the file for a seed (a test checks it).
    _write(con, _rows_sql(ids), out, {"seed": seed})
    return rows


def generate_changes(
    con, agencies: pa.Table, out: Path, base_rows: int, rows: int, seed: int, late_share=0.3, months=MONTHS
) -> dict:
    """A batch for the last two months of a base set: newer versions of its dossiers, and late ones.

    Of `rows`, `late_share` are dossiers the base never had (arriving late); the others are later
    versions of base dossiers of those months: each is now done, its version time three days later.
    """
    _bind(con, agencies, months)
    per = len(months)
    first = math.ceil((per - 2) * base_rows / per)
    span = base_rows - first
    late = int(rows * late_share)
    updates = min(rows - late, span)
    stride = 7919
    while math.gcd(stride, span) != 1:
        stride += 2
    updated_ids = (
        f"(SELECT {first} + (j * {stride}) % {span} AS i, "
        f"CAST(({first} + (j * {stride}) % {span}) * {per} // {base_rows} AS INTEGER) AS month_index "
        f"FROM range({updates}) r(j)) ids"
    )
    late_ids = (
        f"(SELECT {base_rows} + j AS i, CAST({per - 2} + j % 2 AS INTEGER) AS month_index "
        f"FROM range({late}) r(j)) ids"
    )
    updated, fresh = _rows_sql(updated_ids), _rows_sql(late_ids)
    query = f"""
        SELECT * REPLACE (
            'done' AS state,
            COALESCE(completed_at, version_time + INTERVAL 2 DAY) AS completed_at,
            version_time + INTERVAL 3 DAY AS version_time,
            digital_result OR data_reused AS digital_result
        ) FROM ({updated}) u
        UNION ALL
        SELECT * FROM ({fresh}) f
    """
    _write(con, query, _target(out), {"seed": seed})
    return {"updated": updates, "late": late}
