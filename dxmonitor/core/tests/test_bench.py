"""`dxmonitor bench`: figures a person can compare run to run, from a database that is not theirs."""

import json
import os
import subprocess
import sys

import pytest

REQUIRED = {
    "task_list_by_agency",
    *(
        f"task_list_by_status_{s}"
        for s in ("completed_on_time", "completed_late", "in_progress", "overdue", "recurring")
    ),
    "national_scorecard",
}


def _bench(tmp_path, *args):
    return subprocess.run(
        [sys.executable, "-m", "dxmonitor.cli", "bench", "tasks", *args, "--data-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_prints_p50_and_p95_of_every_operation_as_one_json_object(tmp_path):
    run = _bench(tmp_path, "--tasks", "300", "--repeat", "2", "--json")
    assert run.returncode == 0, run.stderr
    figures = json.loads(run.stdout)
    meta = figures.pop("meta")
    assert set(figures) >= REQUIRED
    for operation, figure in figures.items():
        assert set(figure) == {"p50_ms", "p95_ms"}, operation
        assert all(isinstance(v, int | float) and v >= 0 for v in figure.values()), operation
    assert meta["rows"]["tasks"] == 300 and meta["database"] == "sqlite"
    # The benchmark ran on a throwaway database: the installation it was started from has none.
    assert not (tmp_path / "dxmonitor.sqlite3").exists()


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="needs a PostgreSQL server"
)
def test_it_refuses_a_postgresql_database_that_exists(tmp_path):
    # It drops the database it ran on afterwards, so it only runs on one it created: never the suite's own.
    run = _bench(tmp_path, "--tasks", "10", "--database-url", os.environ["DATABASE_URL"])
    assert run.returncode != 0
    assert "exists" in run.stderr
