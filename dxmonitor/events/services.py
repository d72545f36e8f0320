"""Event operations: ingest dossier records, keep the computed indicators current, reconcile them.

The records live in the Parquet store (`store`), the arithmetic in plain SQL (`sql`) run by DuckDB
(`compute`, `ingest`); this module ties them to the registry and the indicators: it exports the
registry for the SQL, writes the results as observations (source "computed", approved) of the EV.*
indicators and compares them with what agencies reported.
"""

import datetime
import json
import os
import tempfile
from collections import Counter
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, F, Max, Min, Sum
from django.utils import timezone

from dxmonitor.accounts import policy
from dxmonitor.agencies.models import Agency, AgencyKind, Succession
from dxmonitor.conf import data_dir
from dxmonitor.core.periods import Period
from dxmonitor.events import compute, generate, ingest, observations, schema
from dxmonitor.events.ingest import Outcome
from dxmonitor.events.models import IngestBatch
from dxmonitor.events.store import Store, connect
from dxmonitor.indicators.models import Indicator, Observation

Source, State = Observation.Source, Observation.State


def store(root: Path | None = None) -> Store:
    """The installation's event store, <DXMONITOR_DATA_DIR>/events."""
    return Store(root or data_dir() / "events")


# The registry as the SQL joins it


def _main_successor(links: list[tuple]) -> int | None:
    """Of an agency's succession links (successor, kind, note), the one that takes its work as a whole."""
    if not links:
        return None
    for successor, kind, note in links:
        if kind != Succession.Kind.SPLIT_INTO or note.lower().startswith("main receiver"):
            return successor
    return links[0][0]


def agency_table(today: datetime.date | None = None) -> pa.Table:
    """Every agency with the codes the SQL needs: its province and its successor valid today."""
    today = today or timezone.localdate()
    rows = list(Agency.objects.values_list("id", "code", "kind", "parent_id", "valid_from", "valid_to"))
    by_id = {r[0]: r for r in rows}
    links: dict[int, list[tuple]] = {}
    for predecessor, successor, kind, note in Succession.objects.order_by("effective_date", "id").values_list(
        "predecessor_id", "successor_id", "kind", "note"
    ):
        links.setdefault(predecessor, []).append((successor, kind, note))

    def valid(agency_id) -> bool:
        _, _, _, _, start, end = by_id[agency_id]
        return (start is None or start <= today) and (end is None or today <= end)

    def current(agency_id):
        seen = set()
        while agency_id is not None and agency_id not in seen and not valid(agency_id):
            seen.add(agency_id)
            agency_id = _main_successor(links.get(agency_id, []))
        return agency_id

    def province(agency_id):
        _, _, kind, parent, _, _ = by_id[agency_id]
        if kind == AgencyKind.PROVINCE:
            return agency_id
        if kind == AgencyKind.COMMUNE and parent in by_id and by_id[parent][2] == AgencyKind.PROVINCE:
            return parent
        return None

    columns = {
        "agency_id": [],
        "code": [],
        "kind": [],
        "valid_from": [],
        "valid_to": [],
        "province_id": [],
        "current_id": [],
        "current_province_id": [],
    }
    for agency_id, code, kind, _parent, start, end in rows:
        home = province(agency_id)
        columns["agency_id"].append(agency_id)
        columns["code"].append(code)
        columns["kind"].append(kind)
        columns["valid_from"].append(start)
        columns["valid_to"].append(end)
        columns["province_id"].append(home)
        columns["current_id"].append(current(agency_id))
        columns["current_province_id"].append(current(home) if home else None)
    types = pa.schema(
        [
            ("agency_id", pa.int32()),
            ("code", pa.string()),
            ("kind", pa.string()),
            ("valid_from", pa.date32()),
            ("valid_to", pa.date32()),
            ("province_id", pa.int32()),
            ("current_id", pa.int32()),
            ("current_province_id", pa.int32()),
        ]
    )
    return pa.table(columns, schema=types)


def registry_fingerprint(today: datetime.date) -> str:
    """What the exported registry depends on, in two aggregate queries (a millisecond, not a rebuild).

    Counts, the newest change, and sums and bounds of the parents, dates and succession links: a
    registry refresh moves some of them even where it leaves modified_at alone (bulk updates do).
    A change that moves none of them (an agency's dates swapped for others strictly inside the
    registry's range, by a bulk update) goes unseen until the next day or restart.
    """
    agencies = Agency.objects.order_by().aggregate(
        n=Count("id"),
        last_id=Max("id"),
        modified=Max("modified_at"),
        parents=Sum("parent_id"),
        weighted_parents=Sum(F("id") * F("parent_id")),
        starts=Count("valid_from"),
        ends=Count("valid_to"),
        first_start=Min("valid_from"),
        last_start=Max("valid_from"),
        first_end=Min("valid_to"),
        last_end=Max("valid_to"),
    )
    links = Succession.objects.order_by().aggregate(
        n=Count("id"),
        last_id=Max("id"),
        pairs=Sum(F("predecessor_id") * 100003 + F("successor_id")),
        first=Min("effective_date"),
        last=Max("effective_date"),
    )
    return json.dumps([str(today), agencies, links], default=str, sort_keys=True)


# The registry tables of this process, under their fingerprint; the exported copy carries it too.
_REGISTRY: dict[str, tuple[pa.Table, pa.Table]] = {}
REGISTRY_FINGERPRINT = b"dxmonitor.registry_fingerprint"


def registry(con, events: Store | None = None) -> tuple[pa.Table, pa.Table]:
    """The registry as the SQL joins it (agency_table) and its roll-up units (compute.rollup).

    Both are kept in this process while the registry's fingerprint (and the day) stays the same, and
    exported beside the records (when `events` is given; the caller holds its lock) only when the
    exported copy is of another fingerprint: re-exporting each time was most of a small fold-in.
    """
    today = timezone.localdate()
    fingerprint = registry_fingerprint(today)
    cached = _REGISTRY.get(fingerprint)
    if cached is None:
        table = agency_table(today)
        cached = (table, compute.rollup(con, table))
        _REGISTRY.clear()
        _REGISTRY[fingerprint] = cached
    if events is not None and _exported_fingerprint(events) != fingerprint:
        export_registry(events, cached[0], fingerprint)
    return cached


def _exported_fingerprint(events: Store) -> str | None:
    path = events.root / "agencies.parquet"
    if not path.exists():
        return None
    return (pq.read_schema(path).metadata or {}).get(REGISTRY_FINGERPRINT, b"").decode() or None


def export_registry(events: Store, table: pa.Table, fingerprint: str = ""):
    """agencies.parquet and successions.parquet beside the records, for engines other than this one.

    Each is replaced in one rename; agencies.parquet carries the fingerprint it was exported at, and is
    written last, so a crash between the two exports it again next time.
    """
    links = list(
        Succession.objects.values_list("predecessor_id", "successor_id", "kind", "effective_date", "note")
    )
    successions = pa.table(
        {
            "predecessor_id": pa.array([r[0] for r in links], pa.int32()),
            "successor_id": pa.array([r[1] for r in links], pa.int32()),
            "kind": pa.array([r[2] for r in links], pa.string()),
            "effective_date": pa.array([r[3] for r in links], pa.date32()),
            "note": pa.array([r[4] for r in links], pa.string()),
        }
    )
    table = table.replace_schema_metadata({REGISTRY_FINGERPRINT: fingerprint.encode()})
    for name, content in (("successions.parquet", successions), ("agencies.parquet", table)):
        temporary = events.root / f"{name}.tmp"
        pq.write_table(content, temporary)
        os.replace(temporary, events.root / name)


# Ingest


def ingest_file(
    actor, path, *, root: Path | None = None, step=lambda name, rows=0: None, recompute=True
) -> Outcome:
    """Ingest one CSV, Parquet or JSON Lines file as a batch, then bring its months' indicators up to date.

    Args:
        actor: who ingests (None for the CLI).
        path: the file.
        root: the event store's directory (default <data dir>/events).
        step: called with each step's name, and (name, rows) as rows are done, for a progress bar.
        recompute: fold the batch in and write its months' observations (default); False leaves the
            months for a later `recompute`.

    Raises:
        RefusedFile: the file is not a batch (empty, wrong columns or types, not what its name says);
            nothing was stored.
    """
    path = Path(path)
    digest = ingest.file_digest(path) if path.exists() else ""
    return _ingest(actor, {"path": path}, digest, root, step, recompute)


def push_dossiers(actor, records: list[dict], *, root: Path | None = None) -> Outcome:
    """Ingest records pushed by another system (POST /events/dossiers) and recompute their months.

    Raises:
        PermissionDenied: the actor may not push records (policy.administer, for now).
        RefusedFile: the batch is empty or not a list of records with the schema's fields.
    """
    if not policy.administer(actor):
        raise PermissionDenied
    return _ingest(actor, {"records": records}, "", root, lambda name, rows=0: None, True)


def _ingest(actor, source: dict, digest: str, root, step, recompute) -> Outcome:
    events = store(root)
    con = connect(events.root)
    try:
        with events.lock():
            events.check_format(con)
            table, _units = registry(con)
            outcome = ingest.ingest(
                events, con, table, batch=ingest.new_batch_id(digest), step=step, **source
            )
            recorded = {k: v for k, v in outcome.as_dict().items() if k != "accepted"}
            IngestBatch.objects.create(
                **recorded | {"source": outcome.source[:500]},
                sha256=digest,
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            if recompute:
                step("recompute")
                _recompute(events, con, outcome.months)
    finally:
        con.close()
    return outcome


# Recomputation


def recompute(months=None, *, root: Path | None = None) -> dict:
    """Fold pending batches into these months (all stored months when None) and rewrite their observations."""
    events = store(root)
    con = connect(events.root)
    try:
        with events.lock():
            return _recompute(events, con, events.months() if months is None else months)
    finally:
        con.close()


def _recompute(events: Store, con, months) -> dict:
    months = sorted(set(months))
    table, units = registry(con, events)
    folded = compute.fold(events, con, months)
    batches = {b for names in folded.values() for b in names}
    if batches:
        IngestBatch.objects.filter(batch__in=batches, folded_at__isnull=True).update(folded_at=timezone.now())
    written = observations.write(_observed_figures(events, con, table, units, months), months)
    return {"months": months, "folded": folded, **written}


def _observed_figures(events: Store, con, table, units, months, counts=None) -> pa.Table:
    """The figures that observations are written from: the period map, observed levels only."""
    return compute.figures(
        events,
        con,
        table,
        months,
        counts=counts,
        units=units,
        maps=["period"],
        levels=observations.OBSERVED_LEVELS,
    )


def compute_all(*, root: Path | None = None) -> dict:
    """Recompute everything from the stored records: every month's counts and observations."""
    events = store(root)
    con = connect(events.root)
    try:
        with events.lock(), transaction.atomic():
            events.check_format(con)
            table, units = registry(con, events)
            months, written = [], Counter(created=0, updated=0, deleted=0)
            # Each run's observations are written while the next run is counted (compute.compute_all).
            for run, counts in compute.compute_all(events, con):
                figures = _observed_figures(events, con, table, units, run, counts)
                written.update(observations.write(figures, run))
                months += run
            IngestBatch.objects.filter(folded_at__isnull=True).update(folded_at=timezone.now())
            # Months with observations and no stored record left (their files were removed).
            stale = [
                int(p.replace("-", ""))
                for p in Observation.objects.filter(
                    source=Source.COMPUTED, indicator__code__startswith="EV.", period_kind="month"
                )
                .exclude(period__in=[schema.month_period(m) for m in months])
                .values_list("period", flat=True)
                .distinct()
            ]
            if stale:
                nothing = _observed_figures(events, con, table, units, stale, compute.empty_counts())
                written.update(observations.write(nothing, stale))
    finally:
        con.close()
    return {"months": months, **written}


def compact(months=None, *, root: Path | None = None) -> list[dict]:
    """Rewrite each month's many small files (API pushes write one per month and sign) as one file.

    Pending batches of the month are folded in first, so its counts need no file read per batch
    again; the rows, and so every count and observation, stay the same.

    Args:
        months: month codes (202507) to compact; None for every stored month.
        root: the event store's directory (default <data dir>/events).

    Returns:
        One dict per month: month, files_before, files_after.
    """
    events = store(root)
    con = connect(events.root)
    try:
        with events.lock():
            events.check_format(con)
            chosen = events.months() if months is None else sorted(set(months))
            _recompute(events, con, chosen)
            return [events.compact(con, month) for month in chosen]
    finally:
        con.close()


# Figures and reconciliation


def figures(
    month: str | None = None, level: str | None = None, map: str = "period", *, root=None
) -> list[dict]:
    """Computed figures per agency from the aggregates: counts and shares, with agency codes and names."""
    events = store(root)
    months = [schema.month_of(month)] if month else None
    con = connect()
    try:
        table, units = registry(con)
        result = compute.figures(events, con, table, months, units=units).to_pylist()
    finally:
        con.close()
    names = dict(Agency.objects.values_list("id", "name"))
    codes = dict(zip(table["agency_id"].to_pylist(), table["code"].to_pylist(), strict=True))
    found = []
    for row in result:
        if row["map"] != map or (level and row["level"] != level):
            continue
        shares = {}
        for measure, numerator, denominator, *_ in schema.MEASURES:
            if denominator is not None:
                den = row[denominator]
                shares[measure] = round(100 * row[numerator] / den, 2) if den else None
        found.append(
            {
                "month": schema.month_period(row["month"]),
                "map": row["map"],
                "level": row["level"],
                "agency": codes.get(row["agency_id"]),
                "agency_name": names.get(row["agency_id"], ""),
                "counts": {c: row[c] for c in schema.COUNTS},
                "shares": shares,
                "synthetic": bool(row["synthetic"]),
            }
        )
    return found


def reconciliation(
    user,
    indicator: str | None = None,
    month: str | None = None,
    threshold: float | None = None,
    *,
    flagged: bool = False,
):
    """Self-reported beside computed values, per agency and month, with the gap in percentage points.

    A computed EV.* indicator is compared with the approved reported values of itself and of the
    indicators its definition lists in params["reconcile_with"] (catalogue indicators that agencies
    report, such as one from a notice). Rows the user may not see are left out (policy.scope_by_agency).

    Args:
        user: who asks.
        indicator: an indicator code (computed or reported side) to narrow to.
        month: a month code, 2025-07.
        threshold: the gap beyond which a row is flagged (default DXMONITOR_RECONCILE_GAP_PP).
        flagged: only the flagged rows.

    Returns:
        Dicts: indicator, reported_indicator, agency, agency_name, month, reported, computed, gap_pp,
        flagged; largest gaps first.
    """
    threshold = settings.RECONCILE_GAP_PP if threshold is None else threshold
    computed_ones = list(
        Indicator.objects.filter(code__startswith="EV.", definitions__formula="computed").distinct()
    )
    definitions = observations.definitions_of(computed_ones)
    rows = []
    for computed_indicator in computed_ones:
        if computed_indicator.unit != "%":
            continue  # a gap in percentage points means nothing for a count
        latest = (definitions.get(computed_indicator.pk) or [None])[0]
        linked = (latest.params or {}).get("reconcile_with", []) if latest else []
        counterparts = {computed_indicator.code, *linked}
        if indicator and indicator not in counterparts:
            continue
        if indicator and indicator != computed_indicator.code:
            counterparts = {indicator}
        computed_qs = Observation.objects.filter(
            indicator=computed_indicator, source=Source.COMPUTED, period_kind="month"
        )
        reported_qs = Observation.objects.filter(
            indicator__code__in=counterparts,
            source=Source.REPORTED,
            state=State.APPROVED,
            period_kind="month",
        )
        if month:
            computed_qs = computed_qs.filter(period=Period.parse(month).code)
            reported_qs = reported_qs.filter(period=Period.parse(month).code)
        reported_qs = policy.scope_by_agency(user, reported_qs).select_related("agency", "indicator")
        computed_by_key = {
            (o.agency_id, o.period): o.value
            for o in policy.scope_by_agency(user, computed_qs).only("agency_id", "period", "value")
        }
        for reported in reported_qs:
            value = computed_by_key.get((reported.agency_id, reported.period))
            if value is None or reported.value is None:
                continue
            gap = round(reported.value - value, 2)
            rows.append(
                {
                    "indicator": computed_indicator.code,
                    "reported_indicator": reported.indicator.code,
                    "agency": reported.agency.code,
                    "agency_name": reported.agency.name,
                    "month": reported.period,
                    "reported": reported.value,
                    "computed": round(value, 2),
                    "gap_pp": gap,
                    "flagged": abs(gap) > threshold,
                }
            )
    rows.sort(key=lambda r: (-abs(r["gap_pp"]), r["indicator"], r["agency"], r["month"]))
    return [r for r in rows if r["flagged"]] if flagged else rows


RECONCILIATION_COLUMNS = [
    "indicator",
    "reported_indicator",
    "agency",
    "agency_name",
    "month",
    "reported",
    "computed",
    "gap_pp",
    "flagged",
]


def write_reconciliation_csv(rows: list[dict], handle):
    """The reconciliation rows as CSV (UTF-8, header), for a spreadsheet."""
    import csv

    writer = csv.DictWriter(handle, RECONCILIATION_COLUMNS)
    writer.writeheader()
    writer.writerows(rows)


# Demo and benchmarks


def generate_file(out: Path, rows: int, seed: int) -> int:
    """Write a synthetic data set with today's registry (dxmonitor events generate)."""
    con = connect()
    try:
        return generate.generate(con, agency_table(), Path(out), rows, seed)
    finally:
        con.close()


def load_demo_events(rows: int = 20_000, seed: int = 1, *, root: Path | None = None) -> Outcome:
    """A small synthetic set for the demo, ingested and computed; loading it again changes nothing."""
    with tempfile.TemporaryDirectory(prefix="dxmonitor-events-") as folder:
        path = Path(folder) / f"demo-dossiers-{seed}-{rows}.parquet"
        generate_file(path, rows, seed)
        return ingest_file(None, path, root=root)
