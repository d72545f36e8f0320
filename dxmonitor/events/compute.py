"""Counts per agency and month, kept current by folding batches in, and rolled up. No Django here.

Counts are additive, so a batch changes a month's aggregate by the counts of its own rows: its new
versions (+1) and the retractions of the versions they replaced (-1, stored by the ingest beside
them). Folding a batch in reads only the batch's files, never the month's other rows. Each month's
aggregate file lists the batches it counts, so folding the same batch twice changes nothing, and a
month whose aggregate is missing is rebuilt from all its batches.
"""

import pyarrow as pa
import pyarrow.compute as pc

from dxmonitor.events import schema, sql
from dxmonitor.events.store import Store

_COUNT_TYPES = pa.schema(
    [("agency_id", pa.int32()), ("month", pa.int32())] + [(c, pa.int64()) for c in schema.COUNTS]
)


def _typed(table: pa.Table) -> pa.Table:
    return table.select(_COUNT_TYPES.names).cast(_COUNT_TYPES)


def _empty() -> pa.Table:
    return _COUNT_TYPES.empty_table()


def fold(store: Store, con, months) -> dict[int, list[str]]:
    """Bring the aggregates of these months up to date with their stored batches; returns what was folded."""
    folded = {}
    for month in sorted(set(months)):
        done = store.folded(month)
        todo = sorted(store.batches_in(month) - done)
        if not todo:
            continue
        files = [f for b in todo for f in store.batch_files(b, [month])]
        store.view(con, "dossier_rows", files)
        delta = con.sql(sql.AGENCY_MONTH).to_arrow_table()
        current = store.read_aggregate(month) if done else None
        con.register("aggregate", _typed(current) if current is not None else _empty())
        con.register("delta", _typed(delta))
        merged = con.sql(sql.MERGE + " ORDER BY agency_id").to_arrow_table()
        con.unregister("aggregate")
        con.unregister("delta")
        store.write_aggregate(month, _typed(merged), done | set(todo))
        folded[month] = todo
    return folded


def compute_all(store: Store, con) -> list[int]:
    """Rebuild every month's aggregate from all stored rows (one scan); returns the months."""
    months = store.months()
    batches = {m: store.batches_in(m) for m in months}
    store.view(con, "dossier_rows", store.files(signs=[1, -1]))
    counts = _typed(con.sql(sql.AGENCY_MONTH + " ORDER BY month, agency_id").to_arrow_table())
    counts = counts.filter(pc.not_equal(counts["dossiers"], 0))
    for month in months:
        store.write_aggregate(month, counts.filter(pc.equal(counts["month"], month)), batches[month])
    for month in set(store.aggregate_months()) - set(months):
        store.drop_aggregate(month)
    return months


def bare(store: Store, con, months=None) -> pa.Table:
    """The benchmark's baseline: the plain GROUP BY over the stored files (of some months)."""
    store.view(con, "dossier_rows", store.files(months))
    return con.sql(sql.BARE).to_arrow_table()


def agency_month(store: Store, months=None) -> pa.Table:
    """The aggregates of some months (all when None), as one table."""
    months = store.aggregate_months() if months is None else months
    tables = [t for t in (store.read_aggregate(m) for m in sorted(months)) if t is not None]
    return pa.concat_tables([_typed(t) for t in tables]) if tables else _empty()


def figures(store: Store, con, agencies: pa.Table, months=None) -> pa.Table:
    """The roll-ups (sql.FIGURES) of some months: map, level, agency_id, month and the counts."""
    con.register("agency_month", agency_month(store, months))
    con.register("agency_map", agencies)
    result = con.sql(sql.FIGURES + " ORDER BY month, map, level, agency_id").to_arrow_table()
    con.unregister("agency_month")
    # Sums come back as wide integers (HUGEINT, Arrow decimals); counts fit 64 bits.
    return result.cast(
        pa.schema(
            [(n, pa.int64()) if n in schema.COUNTS else result.schema.field(n) for n in result.column_names]
        )
    )
