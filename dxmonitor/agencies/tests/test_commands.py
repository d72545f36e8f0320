import io
import json

import pytest
from django.core.management import CommandError, call_command

from dxmonitor import cli


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_it_lists_63_provinces_on_the_day_of_the_8th_session(registry):
    rows = json.loads(run("agencies", "--on", "2024-04-24", "--kind", "province", "--format", "json"))
    assert len(rows) == 63
    assert {"Tỉnh Hà Giang", "Tỉnh Bình Dương", "Thành phố Hà Nội"} <= {r["name"] for r in rows}


def test_it_lists_34_provinces_after_the_merge(registry):
    rows = json.loads(run("agencies", "--on", "2025-08-01", "--kind", "province", "--format", "json"))
    assert len(rows) == 34
    assert "Tỉnh Hà Giang" not in {r["name"] for r in rows}


def test_the_table_format_ends_with_a_count(registry):
    out = run("agencies", "--on", "2025-08-01", "--kind", "province")
    assert out.strip().splitlines()[-1] == "34 agencies valid on 2025-08-01"
    assert "Thành phố Hồ Chí Minh" in out


def test_it_prints_where_a_merged_province_went(registry):
    out = run("agencies", "--successor", "Hà Giang", "--on", "2025-08-01", "--format", "json")
    assert [r["name"] for r in json.loads(out)] == ["Tỉnh Tuyên Quang"]


def test_it_prints_where_a_merged_ministry_went_by_its_short_name(registry):
    rows = json.loads(run("agencies", "--successor", "Bộ TT&TT", "--on", "2025-08-01", "--format", "json"))
    assert rows[0]["code"] == "BKHCN"


def test_before_the_change_an_agency_is_its_own_successor(registry):
    rows = json.loads(run("agencies", "--successor", "Hà Giang", "--on", "2024-04-24", "--format", "json"))
    assert [r["code"] for r in rows] == ["P02-63"]


def test_it_refuses_an_unknown_name_and_a_bad_date(registry):
    with pytest.raises(CommandError, match="no agency known"):
        run("agencies", "--successor", "Bộ Không Tồn Tại", "--on", "2025-08-01")
    with pytest.raises(CommandError, match="not a date"):
        run("agencies", "--on", "24/04/2024")


def test_the_dxmonitor_command_maps_dashes_to_commands(registry, capsys):
    cli.main(["load-agencies"])
    assert "agencies" in capsys.readouterr().out


def test_the_dxmonitor_command_lists_its_commands(capsys):
    cli.main(["--help"])
    out = capsys.readouterr().out
    for name in ("demo", "load-agencies", "agencies", "serve", "extract", "ingest", "extract-eval"):
        assert f"  {name}" in out
