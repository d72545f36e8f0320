"""The project's one parser for Vietnamese dates and deadline wordings (docs: EXTRACTION.md, Deadlines)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from dxmonitor.core.periods import Period

# Years 1800-2999: every real plan, but not counts such as "922/3022 hệ thống".
_Y = r"(?:1[89]|2\d)\d{2}(?!\d)"
_N = r"\d{1,2}(?!\d)"
_QN = r"(?:IV|I{1,3}|[1-4])(?!\w)"
_YEAR_LINK = r"(?:\s*,?\s+năm\s+|\s*[/-]\s*)"
_EDGE = r"(?:(?:cuối|hết)\s+)?"
_QUY = r"(?:quý|qúy|quí)\s+"

_DAY = rf"""
    (?:ngày\s+)?(?P<fd>{_N})\s+tháng\s+(?P<fm>{_N})\s*,?\s+năm\s+(?P<fy>{_Y})
  | (?:ngày\s+)?(?<![\d/.-])(?P<nd>{_N})\s*(?P<sep>[/.-])\s*(?P<nm>{_N})\s*(?P=sep)\s*(?P<ny>{_Y})(?![/-]\w)
  | ngày\s+(?P<ud>{_N})(?:\s+tháng\s+|\s*/\s*)(?P<um>{_N})(?![/\d])
"""
_CUE = r"""
    (?:(?:hoàn\s+thành|xong)\s+)?(?:ngay\s+)?
    (?:(?P<label>(?:thời\s+hạn|thời\s+gian\s+hoàn\s+thành|hạn\s+chót|hạn\s+hoàn\s+thành)(?:\s+hoàn\s+thành)?
           (?:\s+là)?)
      | (?:chậm|muộn)\s+nhất(?:\s+là)?(?:\s+(?:trong|vào|trước|đến|tới))?
      | từ\s+nay\s+(?:đến|tới) | (?:đến|tới)\s+hết | trong | trước | đến | tới | cho | vào | hoàn\s+thành | xong)
"""
# An optional cue, then one time phrase; the cue decides whether a sentence's phrase is a deadline, and the
# bare forms ("2025", "6/2025") count only in a deadline column or after a label such as "Thời hạn:".
_PHRASE = re.compile(
    rf"""
    (?:(?P<cue>(?<!\w){_CUE})(?:\s*:\s*|\s+))?
    (?P<core>
        (?P<day>{_DAY})
      | (?P<half>(?:nửa|(?<!\d)(?:6|sáu)\s+tháng)\s+(?P<hpos>đầu|cuối)\s+năm(?:\s+(?P<hy>{_Y}))?)
      | (?P<month>{_EDGE}tháng\s+(?P<m>{_N})(?:\s*[-–]\s*(?P<m2>{_N}))?(?:{_YEAR_LINK}(?P<my>{_Y}))?)
      | (?P<quarter>{_EDGE}{_QUY}(?P<q>{_QN})(?:\s*[-–]\s*(?P<q2>{_QN}))?(?:{_YEAR_LINK}(?P<qy>{_Y}))?)
      | (?P<year>{_EDGE}năm\s+(?:(?P<y>{_Y})(?:\s*[-–]\s*(?P<y2>{_Y}))?|(?P<rel>nay|sau|tới)(?!\w)))
      | (?P<yearend>(?:cuối|hết)\s+năm)(?!\s+(?:\d|nay|sau|tới))
      | (?<![\d/.,])(?P<bm>{_N})\s*/\s*(?P<bmy>{_Y})(?!/)
      | (?<![\d/.,-])(?P<by>{_Y})(?:\s*[-–]\s*(?P<by2>{_Y}))?(?![/%]|[.,]\d)
    )
    """,
    re.IGNORECASE | re.VERBOSE,
)
_DATE_ONLY = re.compile(_DAY, re.IGNORECASE | re.VERBOSE)
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}
_REL_YEAR = {"nay": 0, "sau": 1, "tới": 1}
_Span = tuple[dt.date, dt.date, str]

_YEARLY_TAIL = re.compile(r"\s+(?:hằng|hàng)\s+năm(?!\w)", re.IGNORECASE)
_YEARLY = re.compile(r"(?<!\w)(?:định\s+kỳ\s+)?(?:hằng|hàng)\s+năm(?!\w)", re.IGNORECASE)
_ONGOING = re.compile(
    r"(?<!\w)(?:(?:nhiệm\s+vụ\s+)?thường\s+xuyên|tiếp\s+tục|định\s+kỳ|(?:hằng|hàng)\s+(?:quý|tháng|tuần))(?!\w)",
    re.IGNORECASE,
)
# "kinh phí thường xuyên" is a budget line (recurrent spending), not a rhythm of work.
_BUDGET_BEFORE = re.compile(
    r"(?:chi|kinh\s+phí|chi\s+phí|vốn|ngân\s+sách|nguồn|dự\s+toán)\s+$", re.IGNORECASE
)
_STRONG_CUE = re.compile(r"hoàn\s+thành|xong|trước|nhất|hạn|hết|ngay", re.IGNORECASE)
# "tính đến…", "từ đầu năm đến…" measure progress so far; they set no deadline.
_AS_OF_BEFORE = re.compile(
    r"(?<!\w)(?:tính|từ\s+đầu(?:\s+(?:năm|quý|tháng|kỳ))?(?:\s+\d{4})?)\s+$", re.IGNORECASE
)
# A phrase next to "đã" reports finished work ("trong quý I năm 2022 đã bồi dưỡng…").
_PAST_BEFORE = re.compile(r"(?<!\w)(?:đã|vừa)(?:\s+\w+)?\s+$", re.IGNORECASE)
_PAST_AFTER = re.compile(r"\s*,?\s*(?:đã|vừa)(?!\w)", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[\s)”\"’'*_]*(?:[.;!]|$)")
_CITATION_AFTER = re.compile(r"\s+(?:của|về\s+việc)(?!\w)", re.IGNORECASE)
# Words that make a cue-less year the name or scope of a plan, a comparison or a horizon, not a deadline.
_NAME_IN_CLAUSE = re.compile(
    r"(?<!\w)(?:kế\s+hoạch|chương\s+trình|chiến\s+lược|đề\s+án|quy\s+hoạch|nghị\s+quyết|quyết\s+định|nghị\s+định"
    r"|thông\s+tư|chỉ\s+thị|thông\s+báo|luật|mục\s+tiêu|kết\s+quả|số\s+liệu|so\s+với|cùng\s+kỳ)(?!\w)",
    re.IGNORECASE,
)
_HORIZON_BEFORE = re.compile(
    r"(?<!\w)(?:đến|tới|từ|sau|định\s+hướng|tầm\s+nhìn|giai\s+đoạn|hướng\s+tới|kỳ)\s+$", re.IGNORECASE
)


@dataclass(frozen=True)
class Deadline:
    """A deadline read from text: its last on-time day (or None), the words, and how it recurs."""

    date: dt.date | None
    text: str
    recurrence: str | None = None
    kind: str = "date"


@dataclass(frozen=True)
class _Found:
    deadline: Deadline
    start: int
    end: int
    period_start: dt.date | None = None
    strong: bool = True


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text or "")


def _words(text: str) -> str:
    return " ".join(text.split())


def _as_date(value: dt.date | None) -> dt.date | None:
    return value.date() if isinstance(value, dt.datetime) else value


def parse_date(text: str) -> dt.date | None:
    """Return the first explicit calendar date in Vietnamese text, or None."""
    for match in _DATE_ONLY.finditer(_nfc(text)):
        if match["ud"]:
            continue
        try:
            return _day_from(match)
        except ValueError:
            continue
    return None


def _day_from(match: re.Match) -> dt.date:
    if match["fd"]:
        return dt.date(int(match["fy"]), int(match["fm"]), int(match["fd"]))
    return dt.date(int(match["ny"]), int(match["nm"]), int(match["nd"]))


def _quarter(numeral: str) -> int:
    return _ROMAN.get(numeral.upper()) or int(numeral)


def _span(match: re.Match, year: int, before: bool) -> _Span:
    """Return (first day, deadline, kind) of the phrase's period in a given year."""
    g = match.groupdict()
    edge = g["core"].lower().startswith(("cuối", "hết"))
    if g["day"]:
        day = dt.date(year, int(g["um"]), int(g["ud"])) if g["ud"] else _day_from(match)
        return day, day, "date"
    if g["half"]:
        first = last = Period("half", year, 1 if g["hpos"].lower() == "đầu" else 2)
    elif g["month"] or g["bm"]:
        first = Period("month", year, int(g["m"] or g["bm"]))
        last = Period("month", year, int(g["m2"])) if g["m2"] else first
    elif g["quarter"]:
        first = Period("quarter", year, _quarter(g["q"]))
        last = Period("quarter", year, _quarter(g["q2"])) if g["q2"] else first
    else:
        first = Period("year", int(g["y"] or g["by"] or year))
        last = Period("year", int(g["y2"] or g["by2"] or first.year))
    if before and not edge:
        # "trước tháng 12" means the work must be done by the end of November.
        first = last = first.previous()
    if first > last:
        raise ValueError("A range must run forwards")
    return first.start, last.end, first.kind


def _explicit_year(match: re.Match) -> int | None:
    g = match.groupdict()
    for name in ("fy", "ny", "hy", "my", "qy", "y", "bmy", "by"):
        if g[name]:
            return int(g[name])
    return None


def _resolve(match: re.Match, document_date: dt.date | None, before: bool) -> _Span | None:
    """Return (first day, deadline, kind); a phrase without a year takes the document's year or the next."""
    year = _explicit_year(match)
    if year is not None:
        return _span(match, year, before)
    if document_date is None:
        return None
    if match["rel"]:
        return _span(match, document_date.year + _REL_YEAR[match["rel"].lower()], before)
    first, last, kind = _span(match, document_date.year, before)
    if last < document_date:
        first, last, kind = _span(match, document_date.year + 1, before)
    return first, last, kind


def _inside_quotes(text: str, pos: int) -> bool:
    head = text[:pos]
    return head.count("“") > head.count("”") or head.count('"') % 2 == 1


def _is_deadline(text: str, match: re.Match, kind: str, column: bool) -> bool:
    """Decide from the surrounding words whether a time phrase in a sentence sets a deadline."""
    if column:
        return True
    cue, before, after = match["cue"], text[: match.start()], text[match.end() :]
    bare = match["bm"] or match["by"]
    if _inside_quotes(text, match.start()) or _PAST_AFTER.match(after):
        return False
    if (bare or match["y2"]) and not match["label"]:
        # A span of years in a sentence is a programme's period ("giai đoạn 2021-2025"), not a deadline.
        return False
    if cue:
        cue_words = _words(cue).lower()
        if _PAST_BEFORE.search(before) or (
            cue_words.endswith(("đến", "tới")) and _AS_OF_BEFORE.search(before)
        ):
            return False
        # "đến năm 2030" is a strategy's horizon; a deadline says "đến hết/cuối năm".
        horizon = cue_words.endswith(("đến", "tới")) and not _STRONG_CUE.search(cue_words)
        return not (
            horizon
            and kind == "year"
            and match["year"]
            and not match["year"].lower().startswith(("cuối", "hết"))
        )
    # Without a cue only a period with its year closing the directive counts ("… chuyển đổi số năm 2023.").
    if kind == "date" or _explicit_year(match) is None or not _SENTENCE_END.match(after):
        return False
    clause = re.split(r"[,;:.()\t|]", before)[-1]
    return not (
        _NAME_IN_CLAUSE.search(clause) or _HORIZON_BEFORE.search(clause) or _PAST_BEFORE.search(before)
    )


def _dated(
    text: str, document_date: dt.date | None, column: bool, taken: list[tuple[int, int]]
) -> list[_Found]:
    found = []
    for match in _PHRASE.finditer(text):
        cue = _words(match["cue"] or "").lower()
        try:
            resolved = _resolve(match, document_date, before=cue.endswith("trước") and not match["day"])
        except ValueError:
            continue
        if resolved is None:
            continue
        first, last, kind = resolved
        words = _words(match.group(0))
        if _explicit_year(match) is None and (tail := _YEARLY_TAIL.match(text, match.end())):
            # "ngày 10 tháng 10 hằng năm" is a date that comes back every year, not a single deadline.
            taken.append((match.start(), tail.end()))
            words = _words(text[match.start() : tail.end()])
            found.append(_Found(Deadline(None, words, "yearly", "recurring"), match.start(), tail.end()))
            continue
        if kind == "date" and not column and _CITATION_AFTER.match(text, match.end()):
            continue
        if not _is_deadline(text, match, kind, column):
            continue
        strong = column or bool(match["label"]) or bool(_STRONG_CUE.search(cue))
        # In a sentence, a period already over at the document's date reports the past ("Trong Quý I năm
        # 2024, doanh thu … đạt …"); only a firm cue ("hoàn thành trước…") keeps it, and never across years.
        if (
            not column
            and document_date
            and (last.year < document_date.year or (last < document_date and not strong))
        ):
            continue
        found.append(_Found(Deadline(last, words, None, kind), match.start(), match.end(), first, strong))
        taken.append((match.start(), match.end()))
    return found


def _undated(text: str, taken: list[tuple[int, int]]) -> list[_Found]:
    found = []
    for pattern, recurrence, kind in ((_YEARLY, "yearly", "recurring"), (_ONGOING, None, "ongoing")):
        for match in pattern.finditer(text):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            if kind == "ongoing" and _BUDGET_BEFORE.search(text, 0, match.start()):
                continue
            taken.append((match.start(), match.end()))
            deadline = Deadline(None, _words(match.group(0)), recurrence, kind)
            found.append(_Found(deadline, match.start(), match.end()))
    return found


def _drop_scopes(found: list[_Found]) -> list[_Found]:
    """Drop a loosely cued period that holds an earlier deadline of the same text (it is the work's scope)."""
    kept = []
    for item in found:
        inner = (
            other
            for other in found
            if other.deadline.date and other.deadline.date < item.deadline.date
            if item.period_start <= other.deadline.date
        )
        if item.strong or item.deadline.date is None or next(inner, None) is None:
            kept.append(item)
    return kept


def parse_deadlines(text: str, document_date: dt.date | None, column: bool = False) -> list[Deadline]:
    """Return every deadline in a directive (or, with column=True, in a deadline cell) in reading order."""
    text = _nfc(text)
    document_date = _as_date(document_date)
    taken: list[tuple[int, int]] = []
    found = _drop_scopes(_dated(text, document_date, column, taken)) + _undated(text, taken)
    return [item.deadline for item in sorted(found, key=lambda item: item.start)]


def parse_deadline(text: str, document_date: dt.date | None, column: bool = False) -> Deadline | None:
    """Return the latest dated deadline, else a recurring one, else an ongoing one, else None."""
    found = parse_deadlines(text, document_date, column)
    dated = [deadline for deadline in found if deadline.date]
    if dated:
        return max(dated, key=lambda deadline: deadline.date)
    for kind in ("recurring", "ongoing"):
        for deadline in found:
            if deadline.kind == kind:
                return deadline
    return None
