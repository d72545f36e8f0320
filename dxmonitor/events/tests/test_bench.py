"""`dxmonitor bench events`: the figures the issue names, from a run whose checks hold."""

import json
import os
import subprocess
import sys

KEYS = [
    "rows",
    "ingest_rows_per_s",
    "full_s",
    "bare_duckdb_s",
    "bare_affected_months_s",
    "pandas_s",
    "incremental_1m_s",
    "peak_rss_mb",
]


def test_a_small_run_prints_every_figure_and_its_checks_hold(tmp_path):
    run = subprocess.run(
        [
            *(sys.executable, "-m", "dxmonitor.cli", "bench", "events", "--json"),
            *("--rows", "30000", "--batch-rows", "3000", "--data-dir", str(tmp_path / "installation")),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "TMPDIR": str(tmp_path)},
    )
    assert run.returncode == 0, run.stderr
    figures = json.loads(run.stdout)
    meta = figures["meta"]
    assert meta["rows"] == 30000
    assert all(isinstance(meta[key], int | float) and meta[key] > 0 for key in KEYS), meta
    # The first recomputation, the bare queries and the fold-in are each timed several times.
    for operation in ("full", "full_unchanged", "bare_duckdb", "bare_affected_months", "incremental"):
        assert figures[operation]["p50_ms"] > 0
    assert meta["folded_equals_recount"] is True
    # Every timed fold-in started from the same state: the same batch folded, the same rows rewritten.
    assert meta["fold_repeats_alike"] is True
    assert meta["fold_outcome"]["updated"] + meta["fold_outcome"]["created"] > 0
    assert meta["observations"]["created"] > 0 and meta["observations"]["updated"] == 0
    assert meta["batch_outcome"]["accepted"] == 3000
