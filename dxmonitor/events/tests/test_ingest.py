"""Ingest: the upsert by (dossier id, version time), idempotence, quarantine, and files refused whole."""

import csv

import pyarrow as pa
import pytest

from dxmonitor.agencies.models import Agency
from dxmonitor.events import compute, services
from dxmonitor.events.ingest import RefusedFile
from dxmonitor.events.models import IngestBatch
from dxmonitor.events.tests.records import (
    HANOI_COMMUNE,
    record,
    stored_rows,
    write_csv,
    write_jsonl,
    write_parquet,
)

AUGUST = 202508


@pytest.fixture
def events(tmp_path, registry):
    return services.store(tmp_path / "events")


def ingest(events, path, **options):
    return services.ingest_file(None, path, root=events.root, **options)


def counts(events, code=HANOI_COMMUNE, month=AUGUST) -> dict:
    agency = Agency.objects.get(code=code)
    rows = [r for r in compute.agency_month(events, [month]).to_pylist() if r["agency_id"] == agency.pk]
    return rows[0] if rows else {}


PROCESSING = {"state": "processing", "completed_at": "", "digital_result": "false"}


def test_a_later_version_replaces_the_earlier_one(events, tmp_path):
    first = record(1, version_time="2025-08-05T08:00:00", **PROCESSING)
    ingest(events, write_csv(tmp_path / "a.csv", [first, record(2)]))
    assert counts(events)["done"] == 1

    outcome = ingest(events, write_csv(tmp_path / "b.csv", [record(1)]))

    assert (outcome.new, outcome.replaces, outcome.older) == (0, 1, 0)
    after = counts(events)
    assert after["dossiers"] == 2  # still two dossiers, now both done
    assert after["done"] == 2 and after["digital_result"] == 2


def test_an_older_version_arriving_late_does_not_replace_the_newer(events, tmp_path):
    ingest(events, write_csv(tmp_path / "a.csv", [record(1)]))
    late = record(1, version_time="2025-08-05T08:00:00", **PROCESSING)

    outcome = ingest(events, write_csv(tmp_path / "b.csv", [late]))

    assert (outcome.new, outcome.replaces, outcome.older) == (0, 0, 1)
    assert outcome.months == []  # nothing counted changed
    assert counts(events)["done"] == 1 and counts(events)["dossiers"] == 1


def test_within_one_batch_the_latest_version_counts_and_a_repeated_row_is_a_duplicate(events, tmp_path):
    rows = [
        record(1),
        record(1, version_time="2025-08-05T08:00:00", **PROCESSING),
        record(1),  # the same version again
    ]
    outcome = ingest(events, write_csv(tmp_path / "a.csv", rows))

    assert (outcome.new, outcome.older, outcome.duplicate) == (1, 1, 1)
    assert counts(events)["dossiers"] == 1 and counts(events)["done"] == 1


def test_the_same_batch_ingested_twice_changes_nothing(events, tmp_path):
    path = write_csv(tmp_path / "a.csv", [record(n) for n in range(5)] + [record(9, agency_code="NOPE")])
    ingest(events, path)
    files, before = events.files(), compute.agency_month(events)

    again = ingest(events, path)

    assert (again.accepted, again.stored, again.quarantined) == (0, 5, 1)
    assert events.files() == files
    assert compute.agency_month(events).equals(before)


def test_bad_rows_go_to_quarantine_with_a_reason_each(events, tmp_path):
    rows = [
        record(1),
        record(2, agency_code="X99999"),
        record(3, completed_at="2025-08-01T08:00:00"),
        record(4, digitised="maybe"),
        record(5, submitted_at="04/08/2025"),
        record(6, channel="fax"),
        record(7, submitted_at="2025-03-03T08:00:00", due_at="", completed_at="", **{"state": "received"}),
        record(8, agency_code="ALL_PROVINCES"),
        record(9, state="done", completed_at=""),
        record(10, version_time="2031-01-01T00:00:00"),
    ]
    outcome = ingest(events, write_csv(tmp_path / "a.csv", rows))

    assert (outcome.rows, outcome.new, outcome.quarantined) == (10, 1, 9)
    with open(outcome.quarantine_file, encoding="utf-8") as handle:
        reasons = {int(r["row"]): r["reason"] for r in csv.DictReader(handle)}
    assert "agency_code X99999 is not in the agency registry" in reasons[2]
    assert "completed_at is before submitted_at" in reasons[3]
    assert "digitised is not true or false: maybe" in reasons[4]
    assert "submitted_at is not an ISO 8601 time: 04/08/2025" in reasons[5]
    assert "channel fax is not one of online, in_person, post" in reasons[6]
    assert f"agency {HANOI_COMMUNE} did not exist on the submission date" in reasons[7]
    assert "does not receive dossiers" in reasons[8]
    assert "state is done but completed_at is empty" in reasons[9]
    assert "version_time is in the future" in reasons[10]
    assert counts(events)["dossiers"] == 1


def test_a_csv_line_that_cannot_be_read_is_quarantined_not_dropped(events, tmp_path):
    path = write_csv(tmp_path / "a.csv", [record(1), record(2)])
    with open(path, "a", encoding="utf-8") as handle:
        handle.write("HS-3,too,few\r\n")

    outcome = ingest(events, path)

    assert (outcome.rows, outcome.new, outcome.quarantined) == (3, 2, 1)
    with open(outcome.quarantine_file, encoding="utf-8") as handle:
        assert "cannot be read" in handle.read()


def test_json_lines_and_typed_parquet_are_read_like_csv(events, tmp_path):
    ingest(events, write_jsonl(tmp_path / "a.jsonl", [record(1), record(2, channel="post")]))
    table = pa.table(
        {
            "dossier_id": ["HS-3"],
            "agency_code": [HANOI_COMMUNE],
            "service_code": ["1.001234"],
            "fully_online_service": [True],
            "channel": ["online"],
            "submitted_at": pa.array([1754294400000000], pa.timestamp("us")),  # 2025-08-04 08:00
            "state": ["received"],
            "digital_result": [False],
            "data_reused": [True],
            "digitised": [False],
            "paid_online": pa.array([True]),
            "version_time": pa.array([1754294400000000], pa.timestamp("us")),
        }
    )
    outcome = ingest(events, write_parquet(tmp_path / "b.parquet", table))

    assert outcome.new == 1
    c = counts(events)
    assert (c["dossiers"], c["online"], c["data_reused"], c["with_fee"], c["paid_online"]) == (3, 2, 1, 1, 1)


def _wrong_columns(tmp_path):
    return write_csv(tmp_path / "bad.csv", [{"id": "1", "agency": "P01"}])


def _wrong_types(tmp_path):
    good = record(1)
    table = pa.table({k: [v] for k, v in good.items()}).set_column(5, "submitted_at", pa.array([1.5]))
    return write_parquet(tmp_path / "bad.parquet", table)


def _misnamed(tmp_path):
    return write_csv(tmp_path / "bad.parquet", [record(1)])


def _empty(tmp_path):
    (tmp_path / "bad.csv").write_bytes(b"")
    return tmp_path / "bad.csv"


def _header_only(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(",".join(record(1)) + "\n")
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (_wrong_columns, "wrong columns (missing columns: dossier_id"),
        (_wrong_types, "column submitted_at has type DOUBLE; expected timestamp"),
        (_misnamed, "is not a readable PARQUET file"),
        (_empty, "the file is empty"),
        (_header_only, "the file has no records"),
    ],
)
def test_a_file_that_is_not_a_batch_is_refused_and_changes_nothing(events, tmp_path, make, message):
    ingest(events, write_csv(tmp_path / "good.csv", [record(1)]))
    files, batches = events.files(), IngestBatch.objects.count()

    with pytest.raises(RefusedFile) as refused:
        ingest(events, make(tmp_path))

    assert message in str(refused.value)
    assert events.files() == files and stored_rows(events) == 1
    assert IngestBatch.objects.count() == batches
    assert not any(events.staging.iterdir())
