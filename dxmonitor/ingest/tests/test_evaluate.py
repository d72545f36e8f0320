import json
from pathlib import Path

import pytest

from dxmonitor.ingest.evaluate import evaluate, jaccard, match_tasks, score_document, words
from dxmonitor.ingest.extract import extract
from dxmonitor.ingest.reading import read_path

GOLD = Path(__file__).parent / "gold"
SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def _task(clause, text, lead=("BYT",), coordinating=(), date=None):
    return {
        "clause": clause,
        "text": text,
        "lead": [{"code": c} for c in lead],
        "coordinating": [{"code": c} for c in coordinating],
        "deadline": {"date": date, "text": "…"} if date else None,
    }


def test_words_ignore_case_and_punctuation():
    assert words("Bộ Y tế, chủ trì.") == words("bộ y TẾ chủ trì")
    assert jaccard(words("a b c d"), words("a b c e")) == 0.6


def test_tasks_match_by_clause_or_else_by_most_words():
    gold = [
        _task("4.a", "Bộ Y tế chủ trì xây dựng đề án"),
        _task("4.b", "Bộ Công an hoàn thiện nghị định về dữ liệu"),
    ]
    predicted = [
        _task("4.b.1", "Bộ Công an hoàn thiện nghị định về dữ liệu cá nhân"),
        _task("4.a", "Bộ Y tế chủ trì, phối hợp xây dựng đề án tổng thể"),
        _task("9", "Một việc khác hẳn"),
    ]
    assert match_tasks(gold, predicted) == [(0, 1), (1, 0)]


def test_a_shared_clause_does_not_pair_unrelated_texts_when_the_real_pair_exists():
    gold = [_task("4.a.6", "Tăng cường công tác tuyên truyền về lợi ích của chuyển đổi số")]
    predicted = [
        _task("4.a.6", "Tập trung phát triển nguồn nhân lực phục vụ chuyển đổi số"),
        _task("4.a.7", "Tăng cường công tác tuyên truyền về lợi ích của chuyển đổi số"),
    ]
    assert match_tasks(gold, predicted) == [(0, 1)]


def test_document_scores_count_precision_recall_and_field_accuracy():
    gold = {
        "tasks": [_task("1", "việc một", ("BCA",), ("BTP",), "2024-05-31"), _task("2", "việc hai", ("BYT",))]
    }
    predicted = {
        "tasks": [
            _task("1", "việc một", ("BCA",), (), "2024-05-31"),
            _task("2", "việc hai", ("BYT", "VPCP")),
            _task("3", "việc ba khác"),
        ]
    }
    rates = score_document(gold, predicted)["tasks"].rates()
    assert rates["precision"] == pytest.approx(2 / 3, abs=1e-4)
    assert rates["recall"] == 1.0
    assert rates["lead"] == 0.5 and rates["coordinating"] == 0.5 and rates["deadline"] == 1.0


def test_indicators_are_scored_on_name_code_targets_and_results():
    gold = {
        "tasks": [],
        "indicators": [
            {
                "code": "1",
                "name": "Tỷ lệ hồ sơ trực tuyến",
                "targets": [{"period": "2023", "value": 60}],
                "results": [],
            }
        ],
    }
    predicted = {
        "tasks": [],
        "indicators": [
            {
                "code": "1",
                "name": "Tỷ lệ hồ sơ trực tuyến",
                "targets": [{"period": "2023", "value": 60.0}],
                "results": [],
            }
        ],
    }
    rates = score_document(gold, predicted)["indicators"].rates()
    assert rates["f1"] == 1.0 and rates["code"] == 1.0 and rates["targets"] == 1.0 and rates["results"] == 1.0


def test_evaluate_finds_each_annotated_notice_and_sums_the_counts(tmp_path):
    (tmp_path / "gold").mkdir()
    (tmp_path / "samples").mkdir()
    notice = "THÔNG BÁO\nKết luận\n1. Các nhiệm vụ:\na) Bộ Y tế chủ trì xây dựng đề án.\n"
    (tmp_path / "samples" / "001_x.txt").write_text(notice, encoding="utf-8")
    gold = {"document": {}, "tasks": [_task("1.a", "Bộ Y tế chủ trì xây dựng đề án.")], "indicators": []}
    (tmp_path / "gold" / "001_x.json").write_text(json.dumps(gold), encoding="utf-8")
    report = evaluate(tmp_path / "gold", tmp_path / "samples", lambda path: extract(read_path(path)))
    assert report["documents"][0]["document"] == "001_x.txt"
    assert report["overall"]["tasks"]["f1"] == 1.0
    assert report["overall"]["tasks"]["lead"] == 1.0


def test_the_extractor_meets_the_issues_targets_on_the_annotated_samples():
    overall = evaluate(GOLD, SAMPLES, lambda path: extract(read_path(path)))["overall"]
    assert overall["tasks"]["f1"] >= 0.90
    assert overall["tasks"]["lead"] >= 0.95
    assert overall["tasks"]["deadline"] >= 0.95
    assert overall["indicators"]["targets"] >= 0.95
    assert overall["indicators"]["results"] >= 0.95
