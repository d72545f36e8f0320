"""`dxmonitor bench indicators`: figures to compare run to run, from national figures that add up."""

import json
import os
import re
import sqlite3
import subprocess
import sys

import pytest

OPERATIONS = {
    "indicator_detail",
    "indicator_series",
    "recompute_national_figures_first",
    "recompute_national_figures_unchanged",
}
# Indicator i has the formulas in turn: B.001 value, B.002 ratio, B.003 sum, B.004 mean, B.005 share.
NATIONAL = """
    SELECT o.period, o.value, o.numerator, o.denominator FROM indicators_observation o
    JOIN indicators_indicator i ON i.id = o.indicator_id JOIN agencies_agency a ON a.id = o.agency_id
    WHERE i.code = ? AND a.code = 'VN' AND o.source = 'computed' ORDER BY o.period
"""
AGENCIES = """
    SELECT o.period, SUM(o.value), AVG(o.value), SUM(o.numerator), SUM(o.denominator), COUNT(*)
    FROM indicators_observation o
    JOIN indicators_indicator i ON i.id = o.indicator_id JOIN agencies_agency a ON a.id = o.agency_id
    WHERE i.code = ? AND a.code != 'VN' AND o.source = 'reported' AND o.state = 'approved'
    GROUP BY o.period ORDER BY o.period
"""


@pytest.fixture(scope="module")
def bench(tmp_path_factory):
    """Run `bench indicators` tiny once, keeping its SQLite database; (figures, database, directory) back."""
    tmp_path = tmp_path_factory.mktemp("bench")
    run = subprocess.run(
        [
            *(sys.executable, "-m", "dxmonitor.cli", "bench", "indicators", "--json", "--keep"),
            *("--indicators", "5", "--provinces", "2", "--ministries", "1", "--months", "3"),
            *("--repeat", "2", "--recompute-repeat", "2", "--data-dir", str(tmp_path / "installation")),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        # The throwaway directory the benchmark keeps lands in tmp_path, which pytest removes.
        env={**os.environ, "TMPDIR": str(tmp_path)},
    )
    assert run.returncode == 0, run.stderr
    kept = re.search(r"^kept: (.+)$", run.stderr, re.MULTILINE)[1]
    with sqlite3.connect(kept) as database:
        yield json.loads(run.stdout), database, tmp_path


def test_it_prints_p50_and_p95_of_every_operation_as_one_json_object(bench):
    printed, _database, tmp_path = bench
    figures = dict(printed)
    meta = figures.pop("meta")
    assert set(figures) == OPERATIONS
    for operation, figure in figures.items():
        assert set(figure) == {"p50_ms", "p95_ms"}, operation
        assert all(isinstance(v, int | float) and v >= 0 for v in figure.values()), operation
    assert (meta["benchmark"], meta["database"], meta["repeat"]) == ("indicators", "sqlite", 2)
    # 5 indicators × 3 agencies × 3 months, and the nation's own value each month for the one reported as one.
    assert meta["rows"]["observations"] == 5 * 3 * 3 + 3
    # 4 aggregate indicators × 3 months, written by the first run and left alone by the second.
    assert meta["recompute_first"] == {"created": 12, "updated": 0, "deleted": 0, "unchanged": 0}
    assert meta["recompute_unchanged"] == {"created": 0, "updated": 0, "deleted": 0, "unchanged": 12}
    assert not (tmp_path / "installation" / "dxmonitor.sqlite3").exists()


def test_the_national_sum_mean_and_ratio_are_those_of_the_generated_values(bench):
    _figures, database, _tmp_path = bench
    sums = database.execute(AGENCIES, ["B.003"]).fetchall()
    assert [count for *_rest, count in sums] == [3, 3, 3]
    national = database.execute(NATIONAL, ["B.003"]).fetchall()
    assert [(period, value) for period, value, _n, _d in national] == [
        (period, pytest.approx(total)) for period, total, *_rest in sums
    ]
    means = database.execute(AGENCIES, ["B.004"]).fetchall()
    national = database.execute(NATIONAL, ["B.004"]).fetchall()
    assert [value for _p, value, _n, _d in national] == [pytest.approx(mean) for _p, _s, mean, *_r in means]
    parts = database.execute(AGENCIES, ["B.002"]).fetchall()
    national = database.execute(NATIONAL, ["B.002"]).fetchall()
    assert [(value, n, d) for _p, value, n, d in national] == [
        (pytest.approx(100 * n / d), pytest.approx(n), pytest.approx(d)) for _p, _s, _m, n, d, _c in parts
    ]
