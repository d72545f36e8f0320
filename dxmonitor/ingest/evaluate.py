"""Scoring extracted notices against hand-written gold annotations (docs: EXTRACTION.md, How it is scored).

No Django here. Definitions, where EXTRACTION.md leaves them open:

- Words: NFC, lower-case, runs of letters and digits (\\w+); a text's words are a set.
- "Overlap in most words": word-set Jaccard |A∩B| / |A∪B| ≥ 0.5 (`TEXT_MATCH`).
- "Share the clause": equal clause strings (spaces and a final dot ignored). A pair with the same clause
  qualifies when its texts still share some words (Jaccard ≥ 0.2, `CLAUSE_GUARD`), so a clause cannot pair
  unrelated tasks when one side numbered its bullets differently; any pair with Jaccard ≥ 0.5 qualifies.
- Matching is one-to-one and greedy, best pair first, by score = Jaccard + 0.5 if the clauses are equal
  (`CLAUSE_BONUS`): a shared clause wins over text alone, except against a pair whose texts are the same.
- Task precision = matched / predicted, recall = matched / gold, F1 their harmonic mean.
- On matched tasks: lead accuracy = share with equal sets of lead codes; coordinating accuracy likewise
  (two empty sets are equal); deadline accuracy = share with the same ISO date (null equals null).
- Indicators are matched by equal normalised name, then by equal code with some shared words (Jaccard ≥
  0.2), then by name Jaccard ≥ 0.5. On matched indicators: code accuracy (equal codes), target accuracy (equal sets of
  (period, value) pairs) and result accuracy (likewise).
- Overall figures are micro-averages: counts are summed over documents before dividing.
"""

from __future__ import annotations

import json
import re
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

TEXT_MATCH = 0.5
CLAUSE_GUARD = 0.2
CLAUSE_BONUS = 0.5
_WORD = re.compile(r"\w+")


def words(text: str | None) -> frozenset[str]:
    """The set of words of a text, for overlap measures."""
    return frozenset(_WORD.findall(unicodedata.normalize("NFC", text or "").lower()))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def _clause(value) -> str:
    return re.sub(r"\s+", "", str(value or "")).rstrip(".")


def match_tasks(gold: list[dict], predicted: list[dict]) -> list[tuple[int, int]]:
    """One-to-one (gold index, predicted index) pairs, by shared clause and word overlap."""
    gold_words = [words(t.get("text")) for t in gold]
    pred_words = [words(t.get("text")) for t in predicted]
    scored = []
    for g, task in enumerate(gold):
        clause = _clause(task.get("clause"))
        for p, other in enumerate(predicted):
            similarity = jaccard(gold_words[g], pred_words[p])
            same_clause = bool(clause) and clause == _clause(other.get("clause"))
            if (same_clause and similarity >= CLAUSE_GUARD) or similarity >= TEXT_MATCH:
                scored.append((similarity + (CLAUSE_BONUS if same_clause else 0.0), g, p))
    pairs: list[tuple[int, int]] = []
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    for _, g, p in sorted(scored, key=lambda item: (-item[0], item[1], item[2])):
        if g not in used_gold and p not in used_pred:
            pairs.append((g, p))
            used_gold.add(g)
            used_pred.add(p)
    return sorted(pairs)


def match_indicators(gold: list[dict], predicted: list[dict]) -> list[tuple[int, int]]:
    """One-to-one pairs: equal names, then equal codes sharing words, then name Jaccard ≥ 0.5."""
    gold_words = [words(i.get("name")) for i in gold]
    pred_words = [words(i.get("name")) for i in predicted]
    pairs: list[tuple[int, int]] = []
    used_gold: set[int] = set()
    used_pred: set[int] = set()

    def take(test: Callable[[int, int], float | None]):
        scored = []
        for g in range(len(gold)):
            if g in used_gold:
                continue
            for p in range(len(predicted)):
                if p in used_pred:
                    continue
                score = test(g, p)
                if score is not None:
                    scored.append((score, g, p))
        for _, g, p in sorted(scored, reverse=True):
            if g not in used_gold and p not in used_pred:
                pairs.append((g, p))
                used_gold.add(g)
                used_pred.add(p)

    take(lambda g, p: 1.0 if gold_words[g] and gold_words[g] == pred_words[p] else None)

    def by_code(g, p):
        code = str(gold[g].get("code") or "").strip()
        if code and code == str(predicted[p].get("code") or "").strip():
            score = jaccard(gold_words[g], pred_words[p])
            return score if score >= CLAUSE_GUARD else None
        return None

    take(by_code)

    def by_name(g, p):
        score = jaccard(gold_words[g], pred_words[p])
        return score if score >= TEXT_MATCH else None

    take(by_name)
    return sorted(pairs)


def _codes(agencies) -> frozenset[str]:
    return frozenset(a.get("code") for a in agencies or [] if isinstance(a, dict))


def _deadline_date(task: dict):
    deadline = task.get("deadline")
    return deadline.get("date") if isinstance(deadline, dict) else None


def _values(entries) -> frozenset:
    out = set()
    for entry in entries or []:
        value = entry.get("value")
        out.add((str(entry.get("period")), None if value is None else round(float(value), 4)))
    return frozenset(out)


@dataclass
class Counts:
    """Counts that add up over documents; rates are computed from them."""

    gold: int = 0
    predicted: int = 0
    matched: int = 0
    correct: dict[str, int] = field(default_factory=dict)

    def add(self, other: Counts) -> None:
        self.gold += other.gold
        self.predicted += other.predicted
        self.matched += other.matched
        for key, value in other.correct.items():
            self.correct[key] = self.correct.get(key, 0) + value

    def rates(self) -> dict:
        precision = self.matched / self.predicted if self.predicted else (1.0 if not self.gold else 0.0)
        recall = self.matched / self.gold if self.gold else (1.0 if not self.predicted else 0.0)
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out = {
            "gold": self.gold,
            "predicted": self.predicted,
            "matched": self.matched,
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
        }
        for key, value in self.correct.items():
            out[key] = round(value / self.matched, 4) if self.matched else None
        return out


def score_tasks(gold: list[dict], predicted: list[dict]) -> tuple[Counts, list[dict]]:
    """Counts for one document's tasks, and the disagreements on matched and unmatched tasks."""
    pairs = match_tasks(gold, predicted)
    counts = Counts(len(gold), len(predicted), len(pairs), {"lead": 0, "coordinating": 0, "deadline": 0})
    problems = []
    for g, p in pairs:
        checks = {
            "lead": _codes(gold[g].get("lead")) == _codes(predicted[p].get("lead")),
            "coordinating": _codes(gold[g].get("coordinating")) == _codes(predicted[p].get("coordinating")),
            "deadline": _deadline_date(gold[g]) == _deadline_date(predicted[p]),
        }
        for key, ok in checks.items():
            counts.correct[key] += ok
        wrong = [key for key, ok in checks.items() if not ok]
        if wrong:
            problems.append({"gold": gold[g], "predicted": predicted[p], "wrong": wrong})
    matched_gold = {g for g, _ in pairs}
    matched_pred = {p for _, p in pairs}
    problems += [
        {"gold": t, "predicted": None, "wrong": ["missed"]}
        for i, t in enumerate(gold)
        if i not in matched_gold
    ]
    problems += [
        {"gold": None, "predicted": t, "wrong": ["extra"]}
        for i, t in enumerate(predicted)
        if i not in matched_pred
    ]
    return counts, problems


def score_indicators(gold: list[dict], predicted: list[dict]) -> tuple[Counts, list[dict]]:
    pairs = match_indicators(gold, predicted)
    counts = Counts(len(gold), len(predicted), len(pairs), {"code": 0, "targets": 0, "results": 0})
    problems = []
    for g, p in pairs:
        checks = {
            "code": str(gold[g].get("code") or "") == str(predicted[p].get("code") or ""),
            "targets": _values(gold[g].get("targets")) == _values(predicted[p].get("targets")),
            "results": _values(gold[g].get("results")) == _values(predicted[p].get("results")),
        }
        for key, ok in checks.items():
            counts.correct[key] += ok
        wrong = [key for key, ok in checks.items() if not ok and key != "code"]
        if wrong:
            problems.append({"gold": gold[g], "predicted": predicted[p], "wrong": wrong})
    matched_gold = {g for g, _ in pairs}
    matched_pred = {p for _, p in pairs}
    problems += [
        {"gold": i, "predicted": None, "wrong": ["missed"]}
        for k, i in enumerate(gold)
        if k not in matched_gold
    ]
    problems += [
        {"gold": None, "predicted": i, "wrong": ["extra"]}
        for k, i in enumerate(predicted)
        if k not in matched_pred
    ]
    return counts, problems


def score_document(gold: dict, predicted: dict) -> dict:
    """Scores of one document: tasks and indicators, with the disagreements."""
    tasks, task_problems = score_tasks(gold.get("tasks", []), predicted.get("tasks", []))
    indicators, indicator_problems = score_indicators(
        gold.get("indicators", []), predicted.get("indicators", [])
    )
    return {
        "tasks": tasks,
        "indicators": indicators,
        "problems": task_problems + indicator_problems,
        "date": (gold.get("document") or {}).get("date") == (predicted.get("document") or {}).get("date"),
    }


def find_source(gold_file: Path, gold: dict, samples: Path) -> Path | None:
    """The notice a gold file annotates: its "file" field, else a sample with the same name stem."""
    named = gold.get("file") or (gold.get("document") or {}).get("file")
    if named:
        for candidate in (samples / named, gold_file.parent / named):
            if candidate.exists():
                return candidate
    stem = gold_file.stem.removesuffix(".gold")
    for suffix in (".txt", ".docx", ".pdf", ".md"):
        candidate = samples / f"{stem}{suffix}"
        if candidate.exists():
            return candidate
    prefix = stem.split("_")[0]
    found = sorted(p for p in samples.glob(f"{prefix}_*") if p.suffix in (".txt", ".docx", ".pdf"))
    return found[0] if len(found) == 1 else None


def evaluate(gold_dir: Path, samples: Path, read: Callable[[Path], dict]) -> dict:
    """Score every gold file in a folder; `read` extracts a notice from its path.

    Returns {"documents": [per-document scores], "overall": {"tasks": …, "indicators": …}}.
    """
    documents = []
    task_total, indicator_total = Counts(), Counts()
    for gold_file in sorted(gold_dir.glob("*.json")):
        gold = json.loads(gold_file.read_text(encoding="utf-8"))
        if not isinstance(gold, dict) or "tasks" not in gold:
            continue
        source = find_source(gold_file, gold, samples)
        if source is None:
            documents.append({"document": gold_file.stem, "error": "notice not found"})
            continue
        started = time.perf_counter()
        predicted = read(source)
        seconds = time.perf_counter() - started
        scored = score_document(gold, predicted)
        task_total.add(scored["tasks"])
        indicator_total.add(scored["indicators"])
        documents.append(
            {
                "document": source.name,
                "seconds": round(seconds, 3),
                "tasks": scored["tasks"].rates(),
                "indicators": scored["indicators"].rates(),
                "date": scored["date"],
                "problems": scored["problems"],
            }
        )
    return {
        "documents": documents,
        "overall": {"tasks": task_total.rates(), "indicators": indicator_total.rates()},
    }
