"""Reading a batch: CSV, Parquet and JSON Lines files, or pushed records, as chunks of Arrow rows. No Django.

A file that cannot be a batch (empty, not what its name says, columns missing or unknown, a Parquet
column of a type no field can have) is refused whole with RefusedFile; parsing is DuckDB's.
"""

import csv
from pathlib import Path

import pyarrow as pa

from dxmonitor.events import schema
from dxmonitor.events.schema import BOOLEAN, TEXT, TIMESTAMP

# Rows checked and upserted at a time: memory stays bounded whatever the file's size.
CHUNK = 2_000_000
FORMATS = {".csv": "csv", ".parquet": "parquet", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl"}

TEXT_TYPES = ("VARCHAR",)
INT_TYPES = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT")
TIME_TYPES = ("TIMESTAMP", "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS", "TIMESTAMP WITH TIME ZONE", "DATE")


class RefusedFile(Exception):
    """The input is not a batch of dossier records; nothing was stored."""


def quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class Input:
    """An input as chunks of Arrow rows, with the DuckDB types of its columns and CSV lines it could not read."""

    def __init__(self, label: str, types: dict[str, str], chunks, rejects=lambda: [], close=lambda: None):
        self.label, self.types, self.chunks, self.rejects, self.close = label, types, chunks, rejects, close


def open_file(path: Path) -> Input:
    """A CSV, Parquet or JSON Lines file, streamed CHUNK rows at a time. RefusedFile if it cannot be."""
    from dxmonitor.events.store import connect

    path = Path(path)
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise RefusedFile(f"{path.name}: unknown file type; give a .csv, .parquet or .jsonl file")
    if not path.is_file():
        raise RefusedFile(f"{path}: no such file")
    if path.stat().st_size == 0:
        raise RefusedFile(f"{path.name}: the file is empty")
    quoted = quote(str(path))
    source = {
        "csv": _csv_source(path),
        "parquet": f"read_parquet({quoted})",
        "jsonl": f"read_json({quoted}, format = 'newline_delimited', sample_size = -1)",
    }[kind]
    reader = connect()

    def refuse(error):
        reader.close()
        reason = str(error).strip().splitlines()[0]
        return RefusedFile(f"{path.name} is not a readable {kind.upper()} file: {reason}")

    try:
        relation = reader.sql(f"SELECT * FROM {source}")
        types = {name: str(kind_) for name, kind_ in zip(relation.columns, relation.types, strict=True)}
        stream = relation.to_arrow_reader(CHUNK)
    except Exception as error:  # DuckDB raises several kinds for a file it cannot read
        raise refuse(error) from None

    def chunks():
        # The stream hands out small record batches; they are gathered into chunks of CHUNK rows.
        try:
            pending, size = [], 0
            for batch in stream:
                pending.append(batch)
                size += batch.num_rows
                if size >= CHUNK:
                    yield pa.Table.from_batches(pending)
                    pending, size = [], 0
            if pending:
                yield pa.Table.from_batches(pending)
        except RefusedFile:
            raise
        except Exception as error:
            raise refuse(error) from None

    def rejects():
        if kind != "csv":
            return []
        # DuckDB may report one error per missing column of a line; each bad line counts once.
        return reader.execute(
            "SELECT line, MIN(error_message) FROM csv_rejects GROUP BY line ORDER BY line"
        ).fetchall()

    return Input(path.name, types, chunks, rejects, reader.close)


def _csv_source(path: Path) -> str:
    """read_csv with the header's columns, all as text, and bad lines kept aside (not guessed at).

    The columns come from the header line rather than DuckDB's sniffer, which gives up on a small
    file with one malformed line; such lines are stored in csv_rejects and quarantined.
    """
    with open(path, encoding="utf-8", errors="replace", newline="") as handle:
        sample = handle.read(65536)
    try:
        delimiter = csv.Sniffer().sniff(sample.splitlines()[0] if sample else "", ",;\t|").delimiter
    except csv.Error:
        delimiter = ","
    header = next(csv.reader(sample.splitlines()[:1], delimiter=delimiter), [])
    names = [name.strip().lstrip("\ufeff") for name in header]
    if not names or len(set(names)) != len(names):
        raise RefusedFile(f"{path.name}: the first line must name each column once")
    columns = "{" + ", ".join(f"{quote(n)}: 'VARCHAR'" for n in names) + "}"
    return (
        f"read_csv({quote(str(path))}, header = true, auto_detect = false, delim = {quote(delimiter)}, "
        f"quote = '\"', escape = '\"', columns = {columns}, store_rejects = true, "
        "rejects_table = 'csv_rejects', rejects_scan = 'csv_scans')"
    )


def open_records(records: list[dict]) -> Input:
    """Pushed records (JSON objects), every value as text."""
    if not isinstance(records, list) or not records:
        raise RefusedFile("the batch is empty")
    if not all(isinstance(record, dict) for record in records):
        raise RefusedFile("the batch must be a JSON list of objects, one per record")
    names = list(dict.fromkeys(k for record in records for k in record))

    def text(value):
        if value is None:
            return None
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value)

    table = pa.table({n: pa.array([text(r.get(n)) for r in records], pa.string()) for n in names})
    return Input("pushed batch", dict.fromkeys(names, "VARCHAR"), lambda: iter([table]))


def check_columns(label: str, types: dict[str, str]):
    """RefusedFile when the input's columns do not fit the schema."""
    missing = [n for n in schema.REQUIRED if n not in types]
    unknown = [n for n in types if n not in schema.BY_NAME]
    if missing or unknown:
        parts = []
        if missing:
            parts.append("missing columns: " + ", ".join(missing))
        if unknown:
            parts.append("unknown columns: " + ", ".join(unknown))
        raise RefusedFile(
            f"{label}: wrong columns ({'; '.join(parts)}). Expected: {', '.join(schema.FIELD_NAMES)} "
            "(see docs/events-schema.md)"
        )
    for name, kind in types.items():
        expected = schema.BY_NAME[name].type
        allowed = {
            TEXT: TEXT_TYPES + INT_TYPES + ("JSON",),
            BOOLEAN: TEXT_TYPES + INT_TYPES + ("BOOLEAN", "JSON"),
            TIMESTAMP: TEXT_TYPES + TIME_TYPES + ("JSON",),
        }[expected]
        if kind not in allowed and kind != '"NULL"':
            raise RefusedFile(
                f"{label}: column {name} has type {kind}; expected {expected} "
                f"({'or ISO 8601 text' if expected == TIMESTAMP else 'or text'})"
            )
