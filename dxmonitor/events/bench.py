"""`dxmonitor bench events`: dossier records at national scale, measured in one run on the same data.

The run: generate --rows synthetic records (one Parquet file), ingest them (rows/s), recompute
everything (full, then again with nothing changed), the baselines (a bare DuckDB GROUP BY over the
whole store, the same computation in plain pandas), then a batch of --batch-rows late and updated
records for the last two months: its ingest, its fold-in (the indicators current again), and the
bare GROUP BY over only those months. The folded aggregates are checked against a full recount.
The machine's cores may be shared, so the bare GROUP BY over the whole store, the first full
recomputation (which creates every observation) and the full recomputation with nothing changed run
REPEAT (5) times in turn and count by their medians (before each first recomputation but the first, the
computed observations and their audit entries are removed, outside the timing); so do the bare GROUP
BY over the months the batch touched and the fold-in (before each fold-in but the first, what it
changed is put back as it was: the months' aggregate and delta files, their observations, the audit
entries and the batch's folded mark). `meta` holds the figures under the names of the issue
(seconds, rows/s, MB) and the ratios the goals are about.
"""

import multiprocessing
import statistics
import tempfile
import time
from pathlib import Path

import pyarrow as pa
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Max

from dxmonitor.core.bench import Result, benchmark, peak_rss_mb, positive_int
from dxmonitor.core.models import AuditEntry
from dxmonitor.events import baseline, compute, generate, observations, schema, services, sql
from dxmonitor.events.models import IngestBatch
from dxmonitor.events.store import connect
from dxmonitor.indicators.models import Observation


def add_arguments(parser):
    parser.add_argument(
        "--rows", type=positive_int, default=1_000_000, help="records to generate (default 1,000,000)"
    )
    parser.add_argument(
        "--batch-rows",
        type=positive_int,
        default=1_000_000,
        help="late and updated records folded in (default 1,000,000)",
    )
    parser.add_argument("--no-pandas", action="store_true", help="skip the pandas baseline")


REPEAT = 5


def _timed(result: Result, name: str, progress, operation):
    start = time.perf_counter()
    value = operation()
    seconds = time.perf_counter() - start
    result.samples.setdefault(name, []).append(seconds * 1000)
    progress(f"  {name}: {seconds:.2f} s")
    return value


@benchmark("events", "dossier records: ingest, full and incremental recomputation, baselines", add_arguments)
def run(options, progress) -> Result:
    rows, batch_rows, seed = options["rows"], options["batch_rows"], options["seed"]
    result = Result()
    work = Path(tempfile.mkdtemp(prefix="dxmonitor-bench-events-"))
    events = services.store()
    base, changes = work / "dossiers.parquet", work / "changes.parquet"

    start = time.perf_counter()
    services.generate_file(base, rows, seed)
    generation = time.perf_counter() - start
    progress(f"generated {rows:,} records in {generation:.1f} s ({rows / generation:,.0f} rows/s)")

    outcome = _timed(result, "ingest", progress, lambda: services.ingest_file(None, base, recompute=False))
    ingest_s = result.samples["ingest"][0] / 1000
    con = connect(events.root)
    last_entry = _last_audit_entry()
    for repeat in range(REPEAT):
        if repeat:
            _forget_computed(last_entry)
        _timed(result, "bare_duckdb", progress, lambda: compute.bare(events, con))
        full = _timed(result, "full", progress, services.compute_all)
        _timed(result, "full_unchanged", progress, services.compute_all)
    pandas_peak = None
    if not options["no_pandas"]:
        # In a process of its own, so that pandas' memory is not counted as ours.
        with multiprocessing.get_context("spawn").Pool(1) as pool:
            seconds, pandas_peak = pool.apply(baseline.timed_pandas_counts, (str(events.dossiers),))
        result.samples["pandas"] = [seconds * 1000]
        progress(f"  pandas: {seconds:.2f} s (peak {pandas_peak:,.0f} MB in its own process)")

    table = services.agency_table()
    con.execute("SET enable_progress_bar = false")
    planned = generate.generate_changes(con, table, changes, rows, batch_rows, seed)
    progress(f"batch: {planned['updated']:,} newer versions and {planned['late']:,} late dossiers")
    changed = _timed(
        result, "incremental_ingest", progress, lambda: services.ingest_file(None, changes, recompute=False)
    )
    before_fold, folds = _Unfolded(events, changed.months), []
    for repeat in range(REPEAT):
        if repeat:
            before_fold.restore()
        _timed(result, "bare_affected_months", progress, lambda: compute.bare(events, con, changed.months))
        folds.append(_timed(result, "incremental", progress, lambda: services.recompute(changed.months)))

    # The folded aggregates must equal a recount from every stored row.
    events.view(con, "dossier_rows", events.files(signs=[1, -1]))
    recount = con.sql(sql.AGENCY_MONTH + " ORDER BY month, agency_id").to_arrow_table()
    folded = compute.agency_month(events)
    matches = _same_counts(recount, folded)
    con.close()

    seconds = {name: round(statistics.median(samples) / 1000, 3) for name, samples in result.samples.items()}
    peak = peak_rss_mb()
    result.meta.update(
        {
            "rows": rows,
            "batch_rows": batch_rows,
            "generation_s": round(generation, 2),
            "ingest_rows_per_s": round(rows / ingest_s),
            "full_s": seconds["full"],
            "full_unchanged_s": seconds["full_unchanged"],
            "bare_duckdb_s": seconds["bare_duckdb"],
            "bare_affected_months_s": seconds["bare_affected_months"],
            "full_vs_bare": round(seconds["full"] / seconds["bare_duckdb"], 2),
            "full_unchanged_vs_bare": round(seconds["full_unchanged"] / seconds["bare_duckdb"], 2),
            "pandas_s": seconds.get("pandas"),
            "pandas_vs_full": round(seconds["pandas"] / seconds["full"], 2) if "pandas" in seconds else None,
            "incremental_1m_s": seconds["incremental"],
            "incremental_vs_bare_affected": round(
                seconds["incremental"] / seconds["bare_affected_months"], 2
            ),
            "incremental_ingest_1m_s": seconds["incremental_ingest"],
            "incremental_with_ingest_s": round(seconds["incremental"] + seconds["incremental_ingest"], 3),
            "affected_months": changed.months,
            "batch_outcome": changed.as_dict() | {"quarantine_file": None},
            "base_outcome": {k: v for k, v in outcome.as_dict().items() if k != "months"},
            "observations": {k: full[k] for k in ("created", "updated", "deleted")},
            "folded_equals_recount": matches,
            # Each timed fold-in did the same work: the same batches folded, the same rows written.
            "fold_repeats_alike": all(fold == folds[0] for fold in folds),
            "fold_outcome": {k: v for k, v in folds[0].items() if k != "months"},
            "store_mb": round(sum(f.stat().st_size for f in events.root.rglob("*.parquet")) / 2**20, 1),
            "peak_rss_mb": peak,
            "pandas_peak_rss_mb": pandas_peak,
            "goals": {
                "full_within_1_3x_bare": seconds["full"] <= 1.3 * seconds["bare_duckdb"],
                "full_unchanged_within_1_3x_bare": seconds["full_unchanged"] <= 1.3 * seconds["bare_duckdb"],
                "full_4x_faster_than_pandas": (
                    seconds["pandas"] >= 4 * seconds["full"] if "pandas" in seconds else None
                ),
                "incremental_half_of_bare_affected": seconds["incremental"]
                <= 0.5 * seconds["bare_affected_months"],
                "peak_under_4gb": peak < 4096,
            },
        }
    )
    for path in (base, changes):
        path.unlink(missing_ok=True)
    work.rmdir()
    return result


def _last_audit_entry() -> int:
    return AuditEntry.objects.aggregate(last=Max("id"))["last"] or 0


def _forget_computed(last_entry: int):
    """Back to the state before the first recomputation: no computed observation, and none of the
    observations' audit entries made since `last_entry`.

    The benchmark's own throwaway database only; so that the first recomputation, which creates every
    observation, can be timed again from the same state.
    """
    Observation.objects.filter(source=Observation.Source.COMPUTED).delete()
    observation = ContentType.objects.get_for_model(Observation)
    AuditEntry.objects.filter(pk__gt=last_entry, content_type=observation).delete()
    _checkpoint()


def _checkpoint():
    """Fold SQLite's write-ahead log into the database: the resetting's own writes are not the timed
    run's to copy back at its commit."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


class _Unfolded:
    """What folding a batch into some months changes, kept so that the fold-in can be timed again.

    The months' aggregate and delta files, their computed observations, the audit entries and the
    batches' folded mark (the benchmark's own database and store only).
    """

    def __init__(self, events, months):
        self.months = months
        self.files = {
            path: path.read_bytes()
            for month in months
            for path in [events.aggregate_path(month), *(events.deltas / f"month={month}").glob("*.parquet")]
            if path.exists()
        }
        self.observations = list(self._computed().values("id", *observations.CHANGED))
        self.last_entry = _last_audit_entry()
        self.batches = list(IngestBatch.objects.filter(folded_at__isnull=True).values_list("pk", flat=True))

    def _computed(self):
        periods = [schema.month_period(m) for m in self.months]
        return Observation.objects.filter(source=Observation.Source.COMPUTED, period__in=periods)

    def restore(self):
        for path, content in self.files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        self._computed().exclude(pk__in=[row["id"] for row in self.observations]).delete()
        Observation.objects.bulk_update(
            [Observation(**row) for row in self.observations],
            observations.CHANGED,
            batch_size=500,
        )
        AuditEntry.objects.filter(pk__gt=self.last_entry).delete()
        IngestBatch.objects.filter(pk__in=self.batches).update(folded_at=None)
        _checkpoint()


def _same_counts(a: pa.Table, b: pa.Table) -> bool:
    key = ["month", "agency_id"]
    a = (
        a.cast(b.schema)
        .filter(pa.compute.not_equal(a["dossiers"], 0))
        .sort_by([(k, "ascending") for k in key])
    )
    b = b.sort_by([(k, "ascending") for k in key])
    return a.equals(b)
