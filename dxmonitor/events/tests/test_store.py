"""The store's bookkeeping: folded batches equal a recount, the key index, compaction, the registry export."""

import json

import pytest
from django.core.management import call_command

from dxmonitor.agencies.models import Agency
from dxmonitor.events import compute, services, sql
from dxmonitor.events.store import connect
from dxmonitor.events.tests.records import HANOI_COMMUNE, record, stored_rows, write_csv
from dxmonitor.indicators.models import Observation

pytestmark = pytest.mark.django_db

SEPTEMBER = {
    "submitted_at": "2025-09-02T09:00:00",
    "due_at": "2025-09-09T17:00:00",
    "completed_at": "2025-09-03T09:00:00",
    "version_time": "2025-09-03T09:00:00",
}
PROCESSING = {"state": "processing", "completed_at": "", "digital_result": "false"}


@pytest.fixture
def events(tmp_path, registry):
    return services.store(tmp_path / "events")


def ingest(events, tmp_path, name, rows):
    return services.ingest_file(None, write_csv(tmp_path / name, rows), root=events.root)


def recount(events):
    """Every month's counts from every stored row, as compute_all counts them."""
    con = connect()
    events.view(con, "dossier_rows", events.files(signs=[1, -1]))
    counts = compute._typed(con.sql(sql.AGENCY_MONTH + " ORDER BY month, agency_id").to_arrow_table())
    con.close()
    return [r for r in counts.to_pylist() if r["dossiers"]]


def folded(events):
    return compute.agency_month(events).to_pylist()


def test_counts_folded_batch_by_batch_equal_a_full_recount(events, tmp_path):
    batches = [
        [record(n, channel="in_person" if n % 2 else "online") for n in range(1, 9)],
        # Newer versions, a newer one that moved to September, a new dossier, and a repeat.
        [record(1), record(2, **SEPTEMBER), record(3, version_time="2025-08-09T10:00:00"), record(20)],
        # Late older versions of dossiers counted already: kept as history, nothing changes.
        [record(1, version_time="2025-08-05T08:00:00", **PROCESSING), record(2)],
        # And a version newer still of the moved one, back in August.
        [record(2, version_time="2025-09-05T08:00:00"), record(21, **SEPTEMBER)],
    ]
    for number, rows in enumerate(batches):
        ingest(events, tmp_path, f"{number}.csv", rows)
        assert folded(events) == recount(events), number
        assert not list(events.deltas.rglob("*.parquet"))  # every delta folded in

    august = {r["month"]: r["dossiers"] for r in folded(events)}
    assert august == {202508: 9, 202509: 1}  # dossiers 1–8 and 20; 21 (2 came back to August)


def test_several_pending_batches_of_a_month_are_folded_in_together(events, tmp_path):
    ingest(events, tmp_path, "a.csv", [record(1, **PROCESSING, version_time="2025-08-05T08:00:00")])
    for name, rows in [("b.csv", [record(1), record(2)]), ("c.csv", [record(3, channel="post"), record(4)])]:
        services.ingest_file(None, write_csv(tmp_path / name, rows), root=events.root, recompute=False)

    result = services.recompute(root=events.root)

    assert len(result["folded"][202508]) == 2
    assert folded(events) == recount(events)
    assert (folded(events)[0]["dossiers"], folded(events)[0]["done"]) == (4, 4)


def test_a_batch_whose_delta_is_lost_is_counted_from_its_files(events, tmp_path):
    ingest(events, tmp_path, "a.csv", [record(1, **PROCESSING, version_time="2025-08-05T08:00:00")])
    services.ingest_file(
        None, write_csv(tmp_path / "b.csv", [record(1), record(2)]), root=events.root, recompute=False
    )
    for delta in events.deltas.rglob("*.parquet"):
        delta.unlink()

    services.recompute(root=events.root)

    assert folded(events) == recount(events)
    assert folded(events)[0]["done"] == 2


def test_a_dossier_found_in_another_month_is_retracted_there(events, tmp_path):
    ingest(events, tmp_path, "a.csv", [record(1)])
    outcome = ingest(
        events, tmp_path, "b.csv", [record(1, **SEPTEMBER | {"version_time": "2025-09-10T08:00:00"})]
    )

    assert (outcome.new, outcome.replaces, outcome.months) == (0, 1, [202508, 202509])
    assert [(r["month"], r["dossiers"]) for r in folded(events)] == [(202509, 1)]


def test_a_store_of_format_1_gets_its_key_index_before_the_next_batch(events, tmp_path):
    ingest(events, tmp_path, "a.csv", [record(1, **PROCESSING, version_time="2025-08-05T08:00:00")])
    for path in events.keys.directory.glob("*.npy"):
        path.unlink()
    probe = json.loads((events.root / "format.json").read_text())["probe"]
    (events.root / "format.json").write_text(json.dumps({"format": 1, "probe": probe}))

    outcome = ingest(events, tmp_path, "b.csv", [record(1)])

    assert outcome.replaces == 1 and events.keys.months() == [202508]
    assert json.loads((events.root / "format.json").read_text())["format"] == 2
    assert folded(events)[0]["dossiers"] == 1


def _pushes(events, secretariat, count):
    """Small batches as a system pushes them: each writes one file per month and sign."""
    for n in range(count):
        services.push_dossiers(secretariat, [record(n), record(100 + n, **SEPTEMBER)], root=events.root)


def test_compaction_rewrites_a_months_small_files_as_one_and_keeps_every_result(events, secretariat):
    _pushes(events, secretariat, 4)
    before_counts, rows = folded(events), stored_rows(events)
    observations = list(Observation.objects.order_by("pk").values_list("pk", "value", "version"))
    assert len(events.files([202508])) == 4

    result = services.compact(root=events.root)

    assert result == [
        {"month": 202508, "files_before": 4, "files_after": 1},
        {"month": 202509, "files_before": 4, "files_after": 1},
    ]
    assert folded(events) == before_counts == recount(events) and stored_rows(events) == rows
    assert events.batches_in(202508) == events.folded(202508) and len(events.folded(202508)) == 4
    assert services.compute_all(root=events.root) | {"months": None} == {
        "months": None,
        "created": 0,
        "updated": 0,
        "deleted": 0,
    }
    assert list(Observation.objects.order_by("pk").values_list("pk", "value", "version")) == observations
    # The compacted rows are still found: the same records again are already stored, a newer version
    # replaces the one in the compacted file.
    again = services.push_dossiers(secretariat, [record(0)], root=events.root)
    newer = services.push_dossiers(
        secretariat, [record(1, channel="post", version_time="2025-08-09T08:00:00")], root=events.root
    )
    assert (again.stored, newer.replaces) == (1, 1)
    assert folded(events) == recount(events)


def test_a_compaction_stopped_after_its_journal_is_finished_and_one_stopped_before_is_undone(
    events, secretariat
):
    _pushes(events, secretariat, 3)
    counts, rows = folded(events), stored_rows(events)
    con = connect(events.root)
    events.prepare_compaction(con, 202508)  # the process stops after the journal
    september, _ = events.prepare_compaction(con, 202509)
    con.close()
    september.unlink()  # and here before it: only the new files were written, as .tmp

    events.recover()

    assert len(events.files([202508])) == 1 and len(events.files([202509])) == 3
    assert not list(events.dossiers.rglob("*.tmp")) and not list(events.staging.iterdir())
    assert folded(events) == counts == recount(events) and stored_rows(events) == rows


def test_the_compact_command_compacts_one_month(tmp_path, monkeypatch, registry, secretariat, capsys):
    monkeypatch.setenv("DXMONITOR_DATA_DIR", str(tmp_path))
    events = services.store()
    _pushes(events, secretariat, 2)

    call_command("events", "compact", "--month", "2025-08")

    assert "2025-08: 2 files → 1" in capsys.readouterr().out
    assert len(events.files([202508])) == 1 and len(events.files([202509])) == 2


def test_the_registry_export_is_kept_until_an_agency_changes(events):
    con = connect(events.root)
    first = services.registry(con, events)
    exported = (events.root / "agencies.parquet").stat().st_mtime_ns

    assert services.registry(con, events) is first
    assert (events.root / "agencies.parquet").stat().st_mtime_ns == exported

    # A bulk update leaves modified_at as it was; the fingerprint still sees the dates move.
    Agency.objects.filter(code=HANOI_COMMUNE).update(valid_to="2025-12-31")
    changed, _units = services.registry(con, events)
    con.close()

    row = next(r for r in changed.to_pylist() if r["code"] == HANOI_COMMUNE)
    assert str(row["valid_to"]) == "2025-12-31"
    assert (events.root / "agencies.parquet").stat().st_mtime_ns != exported
