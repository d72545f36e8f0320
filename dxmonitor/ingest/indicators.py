"""Indicator tables (code, name, lead, result, target; group rows; footnote marks) → indicators with targets
and results. No Django here."""

from __future__ import annotations

import re

from dxmonitor.core.vndates import parse_deadline
from dxmonitor.ingest.roles import Reader
from dxmonitor.ingest.tables import Table, clean_cell

_SUPERSCRIPTS = "¹²³⁴⁵⁶⁷⁸⁹⁰"
_MARKS = re.compile(rf"[{_SUPERSCRIPTS}]+")
_NUMBER = re.compile(r"(?<![\d/])(\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:[,.]\d+)?)(?![\d/])")
_UNITS = [
    ("%", re.compile(r"%")),
    ("tỷ USD", re.compile(r"tỷ\s+USD", re.I)),
    ("tỷ đồng", re.compile(r"tỷ\s+đồng", re.I)),
]
# How a target is worded: "Trên 50%" and "Tối thiểu" mean at least; "100%" means all of them.
_AT_LEAST = re.compile(r"^(?:trên|tối\s+thiểu|ít\s+nhất|từ|đạt\s+trên|không\s+dưới|>=?|≥)", re.I)
_AT_MOST = re.compile(r"^(?:dưới|tối\s+đa|không\s+quá|nhỏ\s+hơn|<=?|≤)", re.I)


def footnote_marks(text: str) -> list[str]:
    """Footnote marks in a cell, as digits: "7,5% ¹" → ["1"]."""
    table = str.maketrans(_SUPERSCRIPTS, "1234567890")
    return [mark.translate(table) for mark in _MARKS.findall(text)]


def parse_number(text: str) -> float | None:
    """The first number in Vietnamese writing: "54,34%" → 54.34, "21.830.518" → 21830518."""
    found = _NUMBER.search(text)
    if not found:
        return None
    digits = found.group(1)
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", digits):
        digits = digits.replace(".", "")
    return float(digits.replace(",", "."))


def unit_of(text: str) -> str | None:
    for unit, pattern in _UNITS:
        if pattern.search(text):
            return unit
    return None


def comparator(text: str) -> str:
    """The target's direction from its wording."""
    text = text.strip()
    if _AT_LEAST.match(text):
        return ">="
    if _AT_MOST.match(text):
        return "<="
    # A bare value is a floor too: the 2023 report counts 7,5% against a 7% target as achieved.
    return ">="


def _value(text: str, period: str | None, notes: dict[str, str], document_date, target: bool) -> dict | None:
    words = clean_cell(text)
    if not words:
        return None
    out: dict = {"period": period, "value": None, "text": words}
    starts_with_number = bool(re.match(r"^(?:\D{0,20}?)\d", words)) and not re.match(
        r"^(?:tháng|quý)", words, re.I
    )
    value = parse_number(words) if starts_with_number else None
    if value is not None and (unit_of(words) or re.fullmatch(r"[\d.,\s]+", words) or target):
        out["value"] = value
    if target:
        out["comparator"] = comparator(words)
        if out["value"] is None:
            # A milestone ("Tháng 12/2023", "Quý I/2023"): the target is a date, not a value.
            out["comparator"] = None
            deadline = parse_deadline(words, document_date, column=True)
            if deadline and deadline.date:
                out["date"] = deadline.date.isoformat()
    notes_here = [notes[m] for m in footnote_marks(text) if m in notes]
    if notes_here:
        out["note"] = " ".join(notes_here)
    return out


def table_indicators(
    table: Table, reader: Reader, document_date, notes: dict[str, str], table_path: str = ""
) -> list[dict]:
    """One indicator per row of an indicator table; unnumbered rows are sub-indicators of the row above."""
    result_period = table.period("result")
    target_period = table.period("target")
    fallback = str(document_date.year) if document_date else None
    indicators: list[dict] = []
    last_lead: list[dict] = []
    for row in table.rows:
        raw_name = row.get(table, "name")
        name = clean_cell(raw_name)
        if not name:
            continue
        # The TT is the code; an unnumbered row under a numbered one has none and points to its parent.
        code = clean_cell(row.get(table, "code")) or row.number or None
        lead = [a.as_dict() for a in reader.cell(clean_cell(row.get(table, "lead")))]
        if not lead and not row.number:
            lead = last_lead
        if row.number:
            last_lead = lead
        cells = " ".join(row.get(table, r) for r in ("result", "target"))
        indicator = {
            "code": code,
            "table": table_path,
            "name": name,
            "group": row.group,
            "lead": lead,
            "unit": clean_cell(row.get(table, "unit")) or unit_of(cells),
            "targets": [],
            "results": [],
        }
        name_notes = [notes[m] for m in footnote_marks(raw_name) if m in notes]
        if name_notes:
            indicator["note"] = " ".join(name_notes)
        target = _value(row.get(table, "target"), target_period or fallback, notes, document_date, True)
        if target:
            indicator["targets"].append(target)
        result = _value(row.get(table, "result"), result_period or fallback, notes, document_date, False)
        if result:
            if name_notes and "note" not in result:
                result["note"] = indicator["note"]
            indicator["results"].append(result)
        if not row.number and row.parent:
            indicator["parent_code"] = row.parent
        if indicator["targets"] and indicator["targets"][0]["value"] is None:
            indicator["unit"] = None
        indicator["results"] += _footnoted_results(row.get(table, "result"), result_period, notes)
        indicators.append(indicator)
    return indicators


_OTHER_PERIOD = re.compile(r"năm\s+(?P<year>(?:19|20)\d{2})\s+(?:đạt|là)\s+(?P<value>[\d.,]+\s*%?)", re.I)


def _footnoted_results(cell: str, period: str | None, notes: dict[str, str]) -> list[dict]:
    """A footnote on a value that states the value of another year ("năm 2021 đạt 42%") adds a result."""
    found = []
    for mark in footnote_marks(cell):
        for hit in _OTHER_PERIOD.finditer(notes.get(mark, "")):
            if hit["year"] != period:
                text = hit.group(0)
                found.append(
                    {
                        "period": hit["year"],
                        "value": parse_number(hit["value"]),
                        "text": text,
                        "note": notes[mark],
                    }
                )
    return found


# --- Targets stated in prose ------------------------------------------------------------------------------

_NAME = r"(?P<name>(?:tỷ\s+lệ|tỷ\s+trọng|chỉ\s+số)\s[^;:()\n]+?)"
_PERCENT = r"\d[\d.,]*\s*%"
# "Tỷ lệ … đạt 45,78%, mục tiêu là 80%", "tỷ lệ … là 66%, vượt mục tiêu đề ra là 65%".
_RESULT_AND_TARGET = re.compile(
    rf"(?<!\w){_NAME}\s+(?:đạt|là)\s+(?P<result>{_PERCENT})\s*,\s*(?:vượt\s+|chưa\s+đạt\s+)?mục\s+tiêu"
    rf"(?:\s+đề\s+ra)?\s+(?:là\s+)?(?P<target>{_PERCENT})",
    re.IGNORECASE,
)
# "Chỉ số … tăng ít nhất 5 bậc", "Chỉ số … thuộc nhóm 30 nước dẫn đầu".
_INDEX_TARGET = re.compile(
    rf"(?<!\w){_NAME}\s+(?:tăng\s+(?:ít\s+nhất|tối\s+thiểu|trên)\s+(?P<up>\d+)\s*(?P<unit>bậc|điểm)"
    r"|thuộc\s+nhóm\s+(?P<top>\d+)\s+(?:nước|quốc\s+gia)\s+(?:dẫn\s+đầu|đứng\s+đầu))",
    re.IGNORECASE,
)
_SENTENCE_YEAR = re.compile(r"(?<!\w)năm\s+((?:19|20)\d{2})(?!\d)", re.IGNORECASE)


def prose_indicators(paragraph: str, lead: list[dict]) -> list[dict]:
    """Indicators whose target a sentence states: a rate with its result and target, or an index to
    climb ("tăng ít nhất 5 bậc") or to rank in ("thuộc nhóm 30 nước dẫn đầu")."""
    found = []
    # Full sentences only: a list of rates separated by semicolons shares the year stated before it.
    for sentence in re.split(r"(?<=\.)\s+(?=[^\W\d_])", paragraph):
        year = _SENTENCE_YEAR.search(sentence)
        period = year.group(1) if year else None
        for hit in _RESULT_AND_TARGET.finditer(sentence):
            found.append(
                _prose(
                    hit["name"],
                    lead,
                    "%",
                    [_prose_value(hit["target"], period, ">=")],
                    [_prose_value(hit["result"], period)],
                )
            )
        for hit in _INDEX_TARGET.finditer(sentence):
            if hit["up"]:
                target = {
                    "period": period,
                    "comparator": ">=",
                    "value": float(hit["up"]),
                    "text": hit.group(0),
                }
                found.append(_prose(hit["name"], lead, hit["unit"].lower(), [target], []))
            else:
                target = {
                    "period": period,
                    "comparator": "<=",
                    "value": float(hit["top"]),
                    "text": hit.group(0),
                }
                found.append(_prose(hit["name"], lead, "thứ hạng", [target], []))
    return found


def _prose_value(text: str, period: str | None, comparison: str | None = None) -> dict:
    value = {"period": period, "value": parse_number(text), "text": " ".join(text.split())}
    if comparison:
        value["comparator"] = comparison
    return value


def _prose(name: str, lead: list[dict], unit: str, targets: list[dict], results: list[dict]) -> dict:
    name = " ".join(name.split())
    return {
        "code": None,
        "name": name[:1].upper() + name[1:],
        "group": "",
        "lead": lead,
        "unit": unit,
        "targets": targets,
        "results": results,
        "source": "prose",
    }
