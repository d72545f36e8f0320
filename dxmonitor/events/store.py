"""The event store on disk: append-only Parquet partitioned by month, and the monthly aggregates. No Django.

Layout under the store's root (<DXMONITOR_DATA_DIR>/events):

    dossiers/month=YYYYMM/sign=S/<batch>_<n>.parquet   stored rows, never rewritten
    aggregates/month=YYYYMM.parquet                    counts per agency for the month, with the ids
                                                       of the batches folded into it (file metadata)
    quarantine/<batch>.csv                             rejected rows of a batch, with the reason per row
    staging/<batch>/                                   a batch being written, moved into dossiers/ whole
    agencies.parquet, successions.parquet              the registry as the SQL joins it (exported)
    format.json                                        the storage format and the key function's probe

`sign` is +1 for a version in force when stored, -1 for the retraction of a version that a later one
replaced (a copy of the replaced row's codes), 0 for an older version kept as history.
"""

import fcntl
import json
import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from dxmonitor.events import schema

FORMAT_VERSION = 1
# DuckDB's hash() keys dossier ids for the upsert lookup; a DuckDB that hashes differently would
# mistake updates for new dossiers, so the store keeps a probe value and refuses such an engine.
KEY_PROBE = "dxmonitor:dossier-key-probe"
MEMORY_LIMIT = "2GB"
FOLDED = b"dxmonitor.folded_batches"


class StoreError(Exception):
    """The store cannot be used as it is (format, key function)."""


def connect(root: Path | None = None) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection set up as every event query expects: Vietnam time, bounded memory."""
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    con.execute("SET TimeZone = 'Asia/Ho_Chi_Minh'")
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    if root is not None:
        spill = root / "tmp"
        spill.mkdir(parents=True, exist_ok=True)
        con.execute(f"SET temp_directory = '{spill}'")
    return con


class Store:
    def __init__(self, root: Path):
        self.root = Path(root)
        self.dossiers = self.root / "dossiers"
        self.aggregates = self.root / "aggregates"
        self.quarantine = self.root / "quarantine"
        self.staging = self.root / "staging"
        for path in (self.dossiers, self.aggregates, self.quarantine, self.staging):
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
        """Write format.json on first use; refuse a store made with another key function."""
        probe = con.execute("SELECT CAST(hash(?) >> 1 AS BIGINT)", [KEY_PROBE]).fetchall()[0][0]
        path = self.root / "format.json"
        if not path.exists():
            path.write_text(
                json.dumps({"format": FORMAT_VERSION, "key": "duckdb hash(dossier_id)", "probe": probe})
            )
            return
        stored = json.loads(path.read_text())
        if stored.get("format") != FORMAT_VERSION or stored.get("probe") != probe:
            raise StoreError(
                f"The event store at {self.root} was written with another storage format or DuckDB key "
                "function; rebuild it by ingesting the original files into a new data directory."
            )

    def recover(self):
        """Finish moving batches a crash left in staging (they were written whole before the move)."""
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

    def batches_in(self, month: int) -> set[str]:
        """Ids of the batches with rows stored in a month."""
        return {Path(f).name.split("_")[0] for f in self.files([month])}

    def batch_files(self, batch: str, months=None) -> list[str]:
        return [f for f in self.files(months) if Path(f).name.split("_")[0] == batch]

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

    def publish(self, batch_dir: Path):
        """Move a staged batch's files into dossiers/, then drop the staging directory."""
        for path in sorted(batch_dir.glob("chunk-*/month=*/sign=*/*.parquet")):
            target = self.dossiers / path.parent.parent.name / path.parent.name
            target.mkdir(parents=True, exist_ok=True)
            os.replace(path, target / path.name)
        shutil.rmtree(batch_dir)

    def view(self, con, name: str, files: list[str]):
        """Create (or replace) a view `name` over stored files; an empty table of the same shape if none."""
        if not files:
            columns = ", ".join(f"CAST(NULL AS {t}) AS {c}" for c, t in schema.STORED_COLUMNS.items())
            con.execute(
                f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT {columns}, "
                "CAST(NULL AS INTEGER) AS month, CAST(NULL AS TINYINT) AS sign WHERE false"
            )
            return
        listing = ", ".join("'" + f.replace("'", "''") + "'" for f in files)
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT * FROM read_parquet([{listing}], "
            "hive_partitioning = true, hive_types = {'month': INTEGER, 'sign': TINYINT})"
        )

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
