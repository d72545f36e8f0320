import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
GOLD = Path(__file__).parent / "gold"


def _run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_extract_prints_the_extraction_format_as_json():
    output = json.loads(_run("extract", str(SAMPLES / "004_c080b5e944a0c7e0.txt"), "--format", "json"))
    assert set(output) == {"document", "tasks", "indicators"}
    assert output["document"]["date"] == "2024-04-24"
    first = output["tasks"][0]
    assert {"clause", "text", "lead", "coordinating", "deadline", "group", "source"} <= set(first)


def test_extract_prints_a_table():
    output = _run("extract", str(SAMPLES / "002_7fc88f43b9651eb0.txt"), "--format", "table")
    assert "Tasks (" in output and "Indicators (" in output
    assert "IV.1.1.a" in output


def test_extract_refuses_a_bad_file_with_both_messages(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(CommandError, match="empty.*rỗng"):
        _run("extract", str(empty))


def test_extract_eval_needs_gold_annotations(tmp_path):
    with pytest.raises(CommandError, match="No gold"):
        _run("extract_eval", "--gold", str(tmp_path))


def test_extract_eval_prints_scores_per_document_and_overall():
    table = _run("extract_eval")
    assert "OVERALL" in table and "004_c080b5e944a0c7e0.txt" in table
    report = json.loads(_run("extract_eval", "--json"))
    assert len(report["documents"]) == 5
    assert report["overall"]["tasks"]["f1"] >= 0.9
