"""The computed figures: month-only recomputation, both province maps, and a check in plain Python."""

import csv
import datetime
import shutil
from collections import defaultdict

import pytest

from dxmonitor.agencies.models import Agency
from dxmonitor.core import audit
from dxmonitor.events import compute, generate, schema, services
from dxmonitor.events.store import connect
from dxmonitor.events.tests.records import (
    HA_GIANG_63,
    HA_GIANG_COMMUNE,
    HANOI_COMMUNE,
    TUYEN_QUANG_63,
    record,
    write_csv,
)
from dxmonitor.indicators.models import Observation

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(tmp_path, registry):
    return services.store(tmp_path / "events")


def ingest(events, path):
    return services.ingest_file(None, path, root=events.root)


def observed(code, agency, period):
    return Observation.objects.get(
        indicator__code=code, agency__code=agency, period=period, source=Observation.Source.COMPUTED
    )


def figure(events, month, level, map_, agency):
    rows = services.figures(month, level, map_, root=events.root)
    return next(r for r in rows if r["agency"] == agency)


def may(n, agency, **fields):
    times = {
        "submitted_at": "2025-05-05T09:00:00",
        "due_at": "2025-05-09T17:00:00",
        "completed_at": "2025-05-12T10:00:00",  # late
        "version_time": "2025-05-12T10:00:00",
    }
    return record(n, agency_code=agency, **times | fields)


def test_recomputation_after_an_ingest_touches_only_the_months_it_changed(events, tmp_path):
    september = {"submitted_at": "2025-09-02T09:00:00", "due_at": "", "completed_at": "2025-09-03T09:00:00"}
    september["version_time"] = "2025-09-03T09:00:00"
    ingest(events, write_csv(tmp_path / "a.csv", [record(1), record(2, **september)]))
    august_file = events.aggregate_path(202508)
    august_stat = august_file.stat().st_mtime_ns
    august_rows = {
        o.pk: o.modified_at
        for o in Observation.objects.filter(period="2025-08", source=Observation.Source.COMPUTED)
    }
    assert august_rows

    outcome = ingest(events, write_csv(tmp_path / "b.csv", [record(3, channel="in_person", **september)]))

    assert outcome.months == [202509]
    assert august_file.stat().st_mtime_ns == august_stat
    assert {
        o.pk: o.modified_at
        for o in Observation.objects.filter(period="2025-08", source=Observation.Source.COMPUTED)
    } == august_rows
    online = observed("EV.ONLINE_SUBMITTED", "P01", "2025-09")
    assert online.value == 50 and online.version == 2
    assert observed("EV.DOSSIERS", "VN", "2025-09").value == 2
    # Each change is audited with the row before and after, as audit.snapshot reads it.
    [created, updated] = audit.history(online).order_by("id")
    assert (created.action, updated.action) == ("create", "update")
    assert updated.before["value"] == 100 and updated.after == audit.snapshot(online)
    assert created.before is None and created.after == updated.before
    assert created.after["version"] == 1 and created.after["source"] == "computed"


def test_rollups_follow_the_63_provinces_before_the_merger_and_the_34_after(events, tmp_path):
    rows = [
        may(1, HA_GIANG_63),
        may(2, HA_GIANG_63, channel="in_person"),
        may(3, TUYEN_QUANG_63),
        record(4, agency_code=HA_GIANG_COMMUNE),
        record(5, agency_code="P08", channel="post"),
        record(6, agency_code=HANOI_COMMUNE),
        may(7, "BTP"),
    ]
    ingest(events, write_csv(tmp_path / "a.csv", rows))

    # As the provinces were: Hà Giang and the old Tuyên Quang in May, the new Tuyên Quang in August.
    assert figure(events, "2025-05", "province", "period", HA_GIANG_63)["counts"]["dossiers"] == 2
    assert figure(events, "2025-05", "province", "period", TUYEN_QUANG_63)["counts"]["dossiers"] == 1
    august = figure(events, "2025-08", "province", "period", "P08")
    assert august["counts"]["dossiers"] == 2 and august["shares"]["online_submitted"] == 50
    assert figure(events, "2025-08", "commune", "period", HA_GIANG_COMMUNE)["counts"]["dossiers"] == 1
    # Under today's map May counts toward the province both merged into.
    assert figure(events, "2025-05", "province", "current", "P08")["counts"]["dossiers"] == 3
    assert not [
        r for r in services.figures("2025-05", "province", "period", root=events.root) if r["agency"] == "P08"
    ]
    for map_ in ("period", "current"):
        assert figure(events, "2025-05", "nation", map_, "VN")["counts"]["dossiers"] == 4
        assert figure(events, "2025-05", "central", map_, "BTP")["counts"]["dossiers"] == 1
    # Observations are written for the agencies as they existed.
    assert observed("EV.DOSSIERS", HA_GIANG_63, "2025-05").value == 2
    assert observed("EV.ONLINE_SUBMITTED", HA_GIANG_63, "2025-05").value == 50
    assert observed("EV.ON_TIME", HA_GIANG_63, "2025-05").value == 0
    assert observed("EV.DOSSIERS", "P08", "2025-08").value == 2
    assert observed("EV.DOSSIERS", "P01", "2025-08").value == 1
    assert not Observation.objects.filter(agency__code=HANOI_COMMUNE).exists()


def _independent(paths, parents: dict[str, str]) -> dict:
    """Counts per (level, agency code, month) from the CSV files, in plain Python: latest version wins."""
    latest = {}
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                key = row["dossier_id"]
                if key not in latest or row["version_time"] > latest[key]["version_time"]:
                    latest[key] = row
    totals = defaultdict(lambda: defaultdict(int))
    for row in latest.values():
        submitted = datetime.datetime.fromisoformat(row["submitted_at"])
        month = f"{submitted:%Y-%m}"
        done = row["state"] == "done"
        values = {
            "dossiers": 1,
            "online": row["channel"] == "online",
            "fully_online": row["channel"] == "online" and row["fully_online_service"] == "true",
            "digital_result": row["digital_result"] == "true",
            "data_reused": row["data_reused"] == "true",
            "digitised": row["digitised"] == "true",
            "done": done,
            "on_time": done and (not row["due_at"] or row["completed_at"] <= row["due_at"]),
            "with_fee": row["paid_online"] != "",
            "paid_online": row["paid_online"] == "true",
        }
        code = row["agency_code"]
        units = [("nation", "VN")]
        if code.startswith("X"):
            units += [("commune", code), ("province", parents[code])]
        elif code.startswith("P"):
            units.append(("province", code))
        else:
            units.append(("central", code))
        for unit in units:
            for name, value in values.items():
                totals[(*unit, month)][name] += int(value)
    return totals


def test_results_match_an_independent_computation_in_plain_python(events, tmp_path):
    base, changes = tmp_path / "base.csv", tmp_path / "changes.csv"
    services.generate_file(base, 3000, 5)
    con = connect()
    generate.generate_changes(con, services.agency_table(), changes, 3000, 600, 5)
    con.close()
    ingest(events, base)
    ingest(events, changes)
    parents = dict(Agency.objects.filter(kind="commune").values_list("code", "parent__code"))

    expected = _independent([base, changes], parents)

    found = {
        (r["level"], r["agency"], r["month"]): r["counts"]
        for r in services.figures(None, None, "period", root=events.root)
    }
    assert set(found) == set(expected)
    for key, counts in expected.items():
        assert {k: found[key][k] for k in counts} == dict(counts), key
    nation = expected[("nation", "VN", "2025-12")]
    assert observed("EV.ONLINE_SUBMITTED", "VN", "2025-12").value == round(
        100 * nation["online"] / nation["dossiers"], 4
    )
    assert observed("EV.DOSSIERS", "VN", "2025-12").note.startswith("Dữ liệu minh họa")
    # A full recomputation agrees with what the batches folded in, and so changes no observation.
    assert services.compute_all(root=events.root) | {"months": None} == {
        "months": None,
        "created": 0,
        "updated": 0,
        "deleted": 0,
    }


def test_the_generator_writes_the_same_file_for_a_seed(tmp_path, registry):
    first, second = tmp_path / "a.parquet", tmp_path / "b.parquet"
    services.generate_file(first, 500, 3)
    services.generate_file(second, 500, 3)
    assert first.read_bytes() == second.read_bytes()
    assert schema.month_period(generate.MONTHS[0]) == "2025-01"


def test_observations_of_a_month_left_without_dossiers_are_deleted_and_audited(events, tmp_path):
    ingest(events, write_csv(tmp_path / "a.csv", [record(1)]))
    august = observed("EV.DOSSIERS", "P01", "2025-08")
    before = audit.snapshot(august)

    # A newer version says the dossier was submitted in September: August has no dossier left.
    moved = {"submitted_at": "2025-09-02T09:00:00", "due_at": "", "completed_at": "2025-09-03T09:00:00"}
    outcome = ingest(
        events, write_csv(tmp_path / "b.csv", [record(1, **moved, version_time="2025-09-03T09:00:00")])
    )

    assert outcome.months == [202508, 202509]
    assert not Observation.objects.filter(period="2025-08", source=Observation.Source.COMPUTED).exists()
    assert observed("EV.DOSSIERS", "P01", "2025-09").value == 1
    [created, deleted] = audit.history(august).order_by("id")
    assert (created.action, deleted.action) == ("create", "delete")
    assert deleted.before == before and deleted.after is None
    assert deleted.reason == created.reason != ""


def test_a_full_recomputation_counts_in_two_runs_and_rebuilds_what_the_fold_ins_made(events, tmp_path):
    path = tmp_path / "generated.parquet"
    services.generate_file(path, 3000, 5)
    ingest(events, path)
    computed = Observation.objects.filter(source=Observation.Source.COMPUTED)

    def written():
        return {
            (o.indicator_id, o.agency_id, o.period): (o.value, o.numerator, o.denominator, o.text, o.note)
            for o in computed
        }

    months, folded, by_fold_in = events.months(), compute.agency_month(events), written()
    runs = compute._split(events, months, compute.FIRST_SHARE)
    assert len(runs) == 2 and runs[0] + runs[1] == months
    computed.delete()
    for month in months:
        events.drop_aggregate(month)

    result = services.compute_all(root=events.root)

    assert result == {"months": months, "created": len(by_fold_in), "updated": 0, "deleted": 0}
    assert written() == by_fold_in
    assert compute.agency_month(events).equals(folded)

    # A month whose files are gone loses its observations (audited) and its aggregate.
    gone = months[-1]
    shutil.rmtree(events.dossiers / f"month={gone}")
    result = services.compute_all(root=events.root)
    assert result["months"] == months[:-1] and result["deleted"] > 0
    assert not computed.filter(period=schema.month_period(gone)).exists()
    assert gone not in events.aggregate_months()
