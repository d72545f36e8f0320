"""Dossier records for tests: valid by default, written as the files systems send."""

import csv
import json

import pyarrow as pa
import pyarrow.parquet as pq

HANOI_COMMUNE = "X00004"  # Phường Ba Đình, Hà Nội, from 2025-07-01
HA_GIANG_COMMUNE = "X00691"  # Phường Hà Giang 2, Tuyên Quang (P08), from 2025-07-01
HA_GIANG_63 = "P02-63"  # Tỉnh Hà Giang until 2025-06-30, merged into P08
TUYEN_QUANG_63 = "P08-63"  # the old Tuyên Quang, merged into the new one (P08)


def record(n=1, **fields) -> dict:
    """A valid record of dossier n: received by Hà Nội's Ba Đình ward in August 2025, done on time."""
    values = {
        "dossier_id": f"HS-{n}",
        "agency_code": HANOI_COMMUNE,
        "service_code": "1.001234",
        "fully_online_service": "true",
        "channel": "online",
        "submitted_at": "2025-08-04T09:00:00",
        "due_at": "2025-08-11T17:00:00",
        "completed_at": "2025-08-08T10:00:00",
        "state": "done",
        "digital_result": "true",
        "data_reused": "false",
        "digitised": "true",
        "paid_online": "",
        "version_time": "2025-08-08T10:00:00",
    }
    values.update({k: ("" if v is None else v) for k, v in fields.items()})
    return values


def write_csv(path, records, fieldnames=None):
    fieldnames = fieldnames or list(records[0])
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames)
        writer.writeheader()
        writer.writerows(records)
    return path


def write_jsonl(path, records):
    with open(path, "w", encoding="utf-8") as handle:
        for r in records:
            handle.write(json.dumps({k: (None if v == "" else v) for k, v in r.items()}) + "\n")
    return path


def write_parquet(path, table: pa.Table):
    pq.write_table(table, path)
    return path


def stored_rows(events) -> int:
    """How many rows the store holds, all signs."""
    return sum(pq.ParquetFile(f).metadata.num_rows for f in events.files())
