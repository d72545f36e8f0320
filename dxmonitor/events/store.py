"""The event store on disk: append-only Parquet partitioned by month, and the monthly aggregates. No Django.

Layout under the store's root (<DXMONITOR_DATA_DIR>/events):

    dossiers/month=YYYYMM/sign=S/<batch>_<n>.parquet   stored rows, never changed
    dossiers/month=YYYYMM/sign=S/compact-<id>_0.parquet  the rows of several batches, rewritten as one
                                                       file by `compact` (their ids in its metadata)
    aggregates/month=YYYYMM.parquet                    counts per agency for the month, with the ids
                                                       of the batches folded into it (file metadata)
    deltas/month=YYYYMM/<batch>.parquet                what a batch adds to the month's counts, written
                                                       by its ingest, removed once folded in
    keys/month=YYYYMM.npy                              the month's dossier keys, sorted (`keys`)
    quarantine/<batch>.csv                             rejected rows of a batch, with the reason per row
    staging/<batch>/                                   a batch being written, moved into dossiers/ whole
    agencies.parquet, successions.parquet              the registry as the SQL joins it (exported)
    format.json                                        the storage format and the key function's probe

`sign` is +1 for a version in force when stored, -1 for the retraction of a version that a later one
replaced (a copy of the replaced row's codes), 0 for an older version kept as history.
"""

import datetime
import fcntl
import json
import os
import secrets
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from dxmonitor.events import schema
from dxmonitor.events.keys import KeyIndex, cores
from dxmonitor.events.reading import quote

# 2: the key index (keys/) beside the files; a store of format 1 is upgraded by building it.
FORMAT_VERSION = 2
# DuckDB's hash() keys dossier ids for the upsert lookup; a DuckDB that hashes differently would
# mistake updates for new dossiers, so the store keeps a probe value and refuses such an engine.
KEY_PROBE = "dxmonitor:dossier-key-probe"
# The dossier key (SQL, `{}` the dossier id): a 63-bit integer, so the key index holds int64 values.
KEY = "CAST(hash({}) >> 1 AS BIGINT)"
# DuckDB's share of memory: the scans stream, so this bounds hash tables and sorts, which spill past it.
MEMORY_LIMIT = "2GB"
FOLDED = b"dxmonitor.folded_batches"
HOLDS = b"dxmonitor.batches"
COMPACTED = "compact-"


def new_batch_id(content_digest: str = "") -> str:
    """A sortable batch id: the UTC time and a short digest (or random) part; no underscore."""
    now = datetime.datetime.now(datetime.UTC)
    tail = content_digest[:8] if content_digest else secrets.token_hex(4)
    return f"{now:%Y%m%dT%H%M%S%f}-{tail}"


class StoreError(Exception):
    """The store cannot be used as it is (format, key function)."""


# One DuckDB database per spill directory in this process; each connect() is a cursor of it, a
# connection of its own (its own views and registered tables) that costs no new database (~10 ms,
# a tenth of a fold-in). The few most recent are kept; one dropped here closes with its last cursor.
_DATABASES: dict[str, duckdb.DuckDBPyConnection] = {}
_DATABASES_KEPT = 4
_DATABASES_LOCK = threading.Lock()


def connect(root: Path | None = None) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection set up as every event query expects: Vietnam time, every core, bounded memory.

    Spills go under <root>/tmp when a store's root is given. Close it when done (the database stays).
    """
    spill = str(Path(root) / "tmp") if root is not None else ""
    with _DATABASES_LOCK:
        database = _DATABASES.pop(spill, None)
        if database is None:
            config = {"threads": cores(), "memory_limit": MEMORY_LIMIT}
            if spill:
                Path(spill).mkdir(parents=True, exist_ok=True)
                config["temp_directory"] = spill
            database = duckdb.connect(config=config)
        _DATABASES[spill] = database  # the most recent last
        while len(_DATABASES) > _DATABASES_KEPT:
            _DATABASES.pop(next(iter(_DATABASES)))
        con = database.cursor()
    con.execute("SET enable_progress_bar = false")
    con.execute("SET TimeZone = 'Asia/Ho_Chi_Minh'")
    return con


def _listing(files: list[str]) -> str:
    return "[" + ", ".join(quote(f) for f in files) + "]"


class Store:
    def __init__(self, root: Path):
        self.root = Path(root)
        self.dossiers = self.root / "dossiers"
        self.aggregates = self.root / "aggregates"
        self.quarantine = self.root / "quarantine"
        self.staging = self.root / "staging"
        self.deltas = self.root / "deltas"
        self.keys = KeyIndex(self.root / "keys")
        for path in (self.dossiers, self.aggregates, self.deltas, self.quarantine, self.staging):
            path.mkdir(parents=True, exist_ok=True)

    # Integrity

    @contextmanager
    def lock(self):
        """One writer at a time (CLI, API push, job): the upsert reads what the previous batch wrote."""
        with open(self.root / ".lock", "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def check_format(self, con):
        """Write format.json on first use; refuse a store made with another key function; upgrade format 1.

        The caller holds the lock. Also finishes what a crash left half done (recover) and builds the
        key index of any month that lacks one.
        """
        probe = con.execute(f"SELECT {KEY.format('?')}", [KEY_PROBE]).fetchall()[0][0]
        path = self.root / "format.json"
        stored = json.loads(path.read_text()) if path.exists() else {"format": FORMAT_VERSION, "probe": probe}
        if stored.get("format") not in (1, FORMAT_VERSION) or stored.get("probe") != probe:
            raise StoreError(
                f"The event store at {self.root} was written with another storage format or DuckDB key "
                "function; rebuild it by ingesting the original files into a new data directory."
            )
        self.recover()
        self.index_missing_months(con)
        if not path.exists() or stored["format"] != FORMAT_VERSION:
            path.write_text(
                json.dumps({"format": FORMAT_VERSION, "key": "duckdb hash(dossier_id)", "probe": probe})
            )

    def index_missing_months(self, con):
        """Build the key index of months that have files but no index (a store of format 1)."""
        missing = sorted(set(self.months()) - set(self.keys.months()))
        for month in missing:
            keys = con.sql(
                f"SELECT DISTINCT dossier_key FROM read_parquet({_listing(self.files([month]))}) ORDER BY 1"
            ).fetchnumpy()["dossier_key"]
            self.keys.write(month, keys)

    def recover(self):
        """Finish what a crash interrupted: batches written whole to staging, compactions past their commit."""
        for journal in sorted(self.staging.glob(f"{COMPACTED}*.json")):
            self._finish_compaction(journal)
        # A compaction that crashed before its journal was written: its new files, its unwritten journal.
        for leftover in [
            *self.dossiers.glob("month=*/sign=*/*.tmp"),
            *self.staging.glob(f"{COMPACTED}*.tmp"),
        ]:
            leftover.unlink()
        for batch_dir in sorted(p for p in self.staging.iterdir() if p.is_dir()):
            if (batch_dir / "COMPLETE").exists():
                self.publish(batch_dir)
            else:
                shutil.rmtree(batch_dir)

    # Dossier files

    def files(self, months=None, signs=None) -> list[str]:
        """Stored files, of some months and signs (None: all)."""
        found = []
        for month_dir in sorted(self.dossiers.glob("month=*")):
            if months is not None and int(month_dir.name[6:]) not in months:
                continue
            for sign_dir in sorted(month_dir.glob("sign=*")):
                if signs is not None and int(sign_dir.name[5:]) not in signs:
                    continue
                found += [str(p) for p in sorted(sign_dir.glob("*.parquet"))]
        return found

    def months(self) -> list[int]:
        return sorted(
            int(p.name[6:]) for p in self.dossiers.glob("month=*") if any(p.glob("sign=*/*.parquet"))
        )

    @staticmethod
    def is_compacted(path) -> bool:
        return Path(path).name.startswith(COMPACTED)

    @staticmethod
    def batches_of(path) -> set[str]:
        """The batches whose rows a stored file holds: its own, or those a compacted file lists."""
        name = Path(path).name.split("_")[0]
        if not name.startswith(COMPACTED):
            return {name}
        metadata = pq.read_schema(path).metadata or {}
        return set(json.loads(metadata.get(HOLDS, b"[]")))

    def batches_in(self, month: int) -> set[str]:
        """Ids of the batches with rows stored in a month."""
        return {b for f in self.files([month]) for b in self.batches_of(f)}

    def staged_files(self, batch: str, months=None, signs=None) -> list[str]:
        """Files a batch has staged so far (its earlier chunks), of some months and signs."""
        found = []
        for path in sorted((self.staging / batch).glob("chunk-*/month=*/sign=*/*.parquet")):
            if months is not None and int(path.parent.parent.name[6:]) not in months:
                continue
            if signs is not None and int(path.parent.name[5:]) not in signs:
                continue
            found.append(str(path))
        return found

    def staged_keys(self, batch: str) -> KeyIndex:
        """The key index of what a batch has staged so far; merged into the store's before publishing."""
        return KeyIndex(self.staging / batch / "keys")

    def publish(self, batch_dir: Path):
        """Move a staged batch's counts into deltas/ and its files into dossiers/, then drop the staging
        directory.

        Its keys are in the index already (ingest adds them before marking the batch complete).
        """
        for path in sorted(batch_dir.glob("deltas/month=*.parquet")):
            target = self.deltas / path.stem
            target.mkdir(parents=True, exist_ok=True)
            os.replace(path, target / f"{batch_dir.name}.parquet")
        for path in sorted(batch_dir.glob("chunk-*/month=*/sign=*/*.parquet")):
            target = self.dossiers / path.parent.parent.name / path.parent.name
            target.mkdir(parents=True, exist_ok=True)
            os.replace(path, target / path.name)
        shutil.rmtree(batch_dir)

    # Deltas: what each batch adds to a month's counts, until folded in

    def write_staged_delta(self, batch: str, month: int, table: pa.Table):
        path = self.staging / batch / "deltas" / f"month={month}.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(table, path)

    def delta_path(self, month: int, batch: str) -> Path:
        return self.deltas / f"month={month}" / f"{batch}.parquet"

    def drop_deltas(self, month: int):
        """Remove a month's deltas: every stored batch of the month is counted in its aggregate."""
        for path in (self.deltas / f"month={month}").glob("*.parquet"):
            path.unlink()

    def view(self, con, name: str, files: list[str]):
        """Create (or replace) a view `name` over stored files; an empty table of the same shape if none."""
        if not files:
            columns = ", ".join(f"CAST(NULL AS {t}) AS {c}" for c, t in schema.STORED_COLUMNS.items())
            con.execute(
                f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT {columns}, "
                "CAST(NULL AS INTEGER) AS month, CAST(NULL AS TINYINT) AS sign WHERE false"
            )
            return
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT * FROM read_parquet({_listing(files)}, "
            "hive_partitioning = true, hive_types = {'month': INTEGER, 'sign': TINYINT})"
        )

    # Compaction

    def compact(self, con, month: int) -> dict:
        """Compact a month (see prepare_compaction); the caller holds the lock."""
        journal, result = self.prepare_compaction(con, month)
        if journal is not None:
            self._finish_compaction(journal)
        return result

    def prepare_compaction(self, con, month: int) -> tuple[Path | None, dict]:
        """Rewrite each sign directory of a month that has several files as one file; the caller holds
        the lock and has folded the month's batches (a compacted file can no longer be read per batch).

        The new files are written beside the old as .tmp, then a journal naming old and new is written
        (the commit point), then the new files are renamed into place and the old ones removed; a crash
        after the journal is finished by recover(), a crash before it leaves the old files as they were.
        Returns {"month", "files_before", "files_after"}.
        """
        stamp = COMPACTED + new_batch_id()
        moves, before, after = [], 0, 0
        for sign_dir in sorted((self.dossiers / f"month={month}").glob("sign=*")):
            files = sorted(str(p) for p in sign_dir.glob("*.parquet"))
            before += len(files)
            if len(files) < 2:
                after += len(files)
                continue
            holds = sorted({b for f in files for b in self.batches_of(f)})
            final = sign_dir / f"{stamp}_0.parquet"
            temporary = final.with_suffix(".tmp")
            metadata = quote(json.dumps(holds))
            con.execute(
                f"COPY (SELECT * FROM read_parquet({_listing(files)})) TO {quote(str(temporary))} "
                f"(FORMAT parquet, KV_METADATA {{'{HOLDS.decode()}': {metadata}}})"
            )
            moves.append({"new": str(temporary), "final": str(final), "old": files})
            after += 1
        journal = None
        if moves:
            journal = self.staging / f"{stamp}.json"
            journal.with_suffix(".tmp").write_text(json.dumps(moves))
            os.replace(journal.with_suffix(".tmp"), journal)
        return journal, {"month": month, "files_before": before, "files_after": after}

    def _finish_compaction(self, journal: Path):
        for move in json.loads(journal.read_text()):
            if Path(move["new"]).exists():
                os.replace(move["new"], move["final"])
            for old in move["old"]:
                Path(old).unlink(missing_ok=True)
        journal.unlink()

    # Aggregates

    def aggregate_path(self, month: int) -> Path:
        return self.aggregates / f"month={month}.parquet"

    def folded(self, month: int) -> set[str]:
        """Batches already counted in a month's aggregate."""
        path = self.aggregate_path(month)
        if not path.exists():
            return set()
        metadata = pq.read_schema(path).metadata or {}
        return set(json.loads(metadata.get(FOLDED, b"[]")))

    def read_aggregate(self, month: int) -> pa.Table | None:
        path = self.aggregate_path(month)
        return pq.read_table(path) if path.exists() else None

    def write_aggregate(self, month: int, table: pa.Table, folded: set[str]):
        """Replace a month's aggregate in one rename, with the batches it now counts."""
        table = table.replace_schema_metadata({FOLDED: json.dumps(sorted(folded)).encode()})
        path = self.aggregate_path(month)
        temporary = path.with_suffix(".tmp")
        pq.write_table(table, temporary)
        os.replace(temporary, path)

    def aggregate_months(self) -> list[int]:
        return sorted(int(p.stem[6:]) for p in self.aggregates.glob("month=*.parquet"))

    def drop_aggregate(self, month: int):
        self.aggregate_path(month).unlink(missing_ok=True)
