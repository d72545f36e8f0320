"""Counts per agency and month, kept current by folding batches in, and rolled up. No Django here.

Counts are additive, so a batch changes a month's aggregate by the counts of its own rows: its new
versions (+1) and the retractions of the versions they replaced (-1, stored by the ingest beside
them). The ingest counts those rows as it writes them (the batch's delta), so folding a batch in
reads its delta, or its files when the delta is missing, never the month's other rows. Each month's
aggregate file lists the batches it counts, so folding the same batch twice changes nothing, and a
month whose aggregate is missing is rebuilt from all its batches.
"""

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from dxmonitor.events import schema, sql
from dxmonitor.events.store import Store

_COUNT_TYPES = pa.schema(
    [("agency_id", pa.int32()), ("month", pa.int32())] + [(c, pa.int64()) for c in schema.COUNTS]
)
_ROLLUP_TYPES = pa.schema(
    [("agency_id", pa.int32()), ("map", pa.string()), ("level", pa.string()), ("unit_id", pa.int32())]
)


def _typed(table: pa.Table) -> pa.Table:
    return table.select(_COUNT_TYPES.names).cast(_COUNT_TYPES)


def empty_counts() -> pa.Table:
    """Counts per agency and month with no row."""
    return _COUNT_TYPES.empty_table()


def _month_of(table: pa.Table, month: int) -> pa.Table:
    return table.filter(pc.equal(table["month"], month))


def fold(store: Store, con, months) -> dict[int, list[str]]:
    """Bring the aggregates of these months up to date with their stored batches; returns what was folded.

    A pending batch adds its delta, the counts its ingest wrote beside its files; a batch without one
    (its delta lost) is counted from its files, all months' in one scan. A month whose pending batch
    sits in a compacted file (its aggregate was deleted after a compaction) is counted again from all
    its files.
    """
    files, current, deltas, plan = [], [], [], {}
    for month in sorted(set(months)):
        month_files = store.files([month])
        holds = {f: store.batches_of(f) for f in month_files}
        done = store.folded(month)
        every = set().union(*holds.values()) if holds else set()
        todo = every - done
        if not todo:
            store.drop_deltas(month)  # left by a fold that stopped after writing the aggregate
            continue
        if any(Store.is_compacted(f) and b & todo for f, b in holds.items()):
            files += month_files
            plan[month] = (sorted(todo), every)
            continue
        plan[month] = (sorted(todo), done | todo)
        for batch in sorted(todo):
            delta = store.delta_path(month, batch)
            if delta.exists():
                deltas.append(_typed(pq.read_table(delta)))
            else:
                files += [f for f, b in holds.items() if batch in b]
        aggregate = store.read_aggregate(month) if done else None
        if aggregate is not None:
            current.append(_typed(aggregate))
    if not plan:
        return {}
    if files:
        store.view(con, "dossier_rows", sorted(set(files)))
        deltas.append(_typed(con.sql(sql.AGENCY_MONTH).to_arrow_table()))
    con.register("deltas", pa.concat_tables(deltas) if deltas else empty_counts())
    con.register("aggregate", pa.concat_tables(current) if current else empty_counts())
    merged = _typed(con.sql(sql.MERGE + " ORDER BY month, agency_id").to_arrow_table())
    con.unregister("aggregate")
    con.unregister("deltas")
    for month, (_todo, folded) in plan.items():
        store.write_aggregate(month, _month_of(merged, month), folded)
        store.drop_deltas(month)
    return {month: todo for month, (todo, _f) in plan.items()}


def compute_all(store: Store, con) -> Iterator[tuple[list[int], pa.Table]]:
    """Rebuild every month's aggregate from all stored rows; yields (months, their counts), in two runs.

    The scan keeps every core busy; writing the observations that follow runs on one. So the months
    holding the first FIRST_SHARE of the stored bytes are counted first, and while the caller writes
    their observations the other months are counted in a worker thread, on a cursor of its own. In
    repeated runs on 50 million records this took 0.04–0.07 × the bare query off a full recomputation
    (a bigger last run leaves more writing outside the overlap, more runs add their queries' start and
    end). Months whose files are gone lose their aggregate once both runs are done.
    """
    months = store.months()
    runs = _split(store, months, FIRST_SHARE)
    scanner = con.cursor()
    try:
        with ThreadPoolExecutor(1, thread_name_prefix="dxmonitor-scan") as pool:
            pending = [pool.submit(_rebuild, store, scanner, run) for run in runs[:1]]
            for index, run in enumerate(runs):
                counts = pending.pop().result()
                if index + 1 < len(runs):
                    pending.append(pool.submit(_rebuild, store, scanner, runs[index + 1]))
                yield run, counts
    finally:
        scanner.close()
    for month in set(store.aggregate_months()) - set(months):
        store.drop_aggregate(month)


# The share of the stored bytes counted in compute_all's first run.
FIRST_SHARE = 0.75


def _split(store: Store, months: list[int], share: float) -> list[list[int]]:
    """The months in order, cut in two where the first part holds `share` of the bytes stored."""
    sizes = [sum(Path(f).stat().st_size for f in store.files([m], signs=[1, -1])) for m in months]
    total, held = sum(sizes), 0
    for index, size in enumerate(sizes):
        held += size
        if held >= share * total:
            return [run for run in (months[: index + 1], months[index + 1 :]) if run]
    return [months] if months else []


def _rebuild(store: Store, con, months: list[int]) -> pa.Table:
    """Count these months from all their rows (one scan), write their aggregates; their counts."""
    batches = {m: store.batches_in(m) for m in months}
    store.view(con, "dossier_rows", store.files(months, signs=[1, -1]))
    counts = _typed(con.sql(sql.AGENCY_MONTH).to_arrow_table())
    counts = counts.filter(pc.not_equal(counts["dossiers"], 0))
    counts = counts.sort_by([("month", "ascending"), ("agency_id", "ascending")])
    for month in months:
        store.write_aggregate(month, _month_of(counts, month), batches[month])
        store.drop_deltas(month)
    return counts


def bare(store: Store, con, months=None) -> pa.Table:
    """The benchmark's baseline: the plain GROUP BY over the stored files (of some months)."""
    store.view(con, "dossier_rows", store.files(months))
    return con.sql(sql.BARE).to_arrow_table()


def agency_month(store: Store, months=None) -> pa.Table:
    """The aggregates of some months (all when None), as one table."""
    months = store.aggregate_months() if months is None else months
    tables = [t for t in (store.read_aggregate(m) for m in sorted(months)) if t is not None]
    return pa.concat_tables([_typed(t) for t in tables]) if tables else empty_counts()


def rollup(con, agencies: pa.Table) -> pa.Table:
    """Which units each agency counts toward (sql.ROLLUP): agency_id, map, level, unit_id."""
    con.register("agency_map", agencies)
    result = con.sql(sql.ROLLUP).to_arrow_table().cast(_ROLLUP_TYPES)
    con.unregister("agency_map")
    return result


def figures(
    store: Store,
    con,
    agencies: pa.Table,
    months=None,
    *,
    counts: pa.Table | None = None,
    units: pa.Table | None = None,
    maps=None,
    levels=None,
) -> pa.Table:
    """The roll-ups (sql.FIGURES) of some months: map, level, agency_id, month and the counts.

    Args:
        store, con: the store and a connection.
        agencies: the registry (services.agency_table).
        months: the months (all aggregated months when None).
        counts: the per agency and month counts when the caller has them (else the aggregate files).
        units: rollup(con, agencies) when the caller keeps it.
        maps, levels: only these province maps and levels (all when None).
    """
    counts = agency_month(store, months) if counts is None else counts
    if months is not None:
        counts = counts.filter(pc.is_in(counts["month"], pa.array(sorted(set(months)), pa.int32())))
    units = rollup(con, agencies) if units is None else units
    if maps is not None:
        units = units.filter(pc.is_in(units["map"], pa.array(list(maps))))
    if levels is not None:
        units = units.filter(pc.is_in(units["level"], pa.array(list(levels))))
    con.register("agency_month", counts)
    con.register("rollup", units)
    result = con.sql(sql.FIGURES + " ORDER BY month, map, level, agency_id").to_arrow_table()
    con.unregister("agency_month")
    con.unregister("rollup")
    # Sums come back as wide integers (HUGEINT, Arrow decimals); counts fit 64 bits.
    return result.cast(
        pa.schema(
            [(n, pa.int64()) if n in schema.COUNTS else result.schema.field(n) for n in result.column_names]
        )
    )
