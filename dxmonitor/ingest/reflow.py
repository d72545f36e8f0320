"""Text laid out for a page → one paragraph per line: hard-wrapped lines re-joined, page furniture dropped.

Text extracted from PDF (and text copied out of one) is wrapped at the page's width, often with a blank
line after every line, page numbers and repeated page headers. Paragraph ends are found from list
markers, sentence ends, short lines and capital letters; blank lines alone prove nothing. Table rows
(tab-separated or Markdown) are kept as they are. No Django here.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

# The start of an outline item: I., A., 1., 1.1., a), đ), (i), (1), "- ", "+ ", "•", "Một là,".
MARKER = re.compile(
    r"""^(?:
        (?P<roman>[IVX]{1,5})[.)](?=\s|$)
      | (?P<upper>[A-Z])\.(?=\s)
      | (?P<dotted>\d{1,2}(?:\.\d{1,2})+)\.?(?=\s)
      | (?P<number>\d{1,2})[.)](?=\s)
      | (?P<letter>[a-zđ])\)(?=\s|$)
      | \((?P<paren>[ivx]{1,5}|\d{1,2}|[a-zđ])\)(?=\s)
      | (?P<bullet>[-–—•+*▪◦●])(?=\s)
      | (?P<ordinal>Một|Hai|Ba|Bốn|Năm|Sáu|Bảy|Tám|Chín|Mười)\s+là\s*[,:]
    )""",
    re.VERBOSE,
)
_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-–]\s*)?(?:Trang\s+|Page\s+)?\d{1,3}(?:\s*/\s*\d{1,3})?(?:\s*[-–])?\s*$", re.I
)
_SENTENCE_END = re.compile(r"(?:[.:;!?…]|\./\.)[\s\"”’')\]]*$")
_JOINING_END = re.compile(
    r"(?:[,\-–(]|\b(?:và|của|các|với|tại|theo|cho|trong|từ|đến|về|là|hoặc|như|để|do|bởi|gồm))$",
    re.IGNORECASE,
)
_FOOTNOTE_LINE = re.compile(r"^(?P<mark>[1-9]\d?|[¹²³⁴⁵⁶⁷⁸⁹⁰]+)\s+(?P<body>\S.*)$")
_SUPERSCRIPT = str.maketrans("¹²³⁴⁵⁶⁷⁸⁹⁰", "1234567890")
_HTML_EMPHASIS = re.compile(r"</?(?:i|b|u|em|strong|sup|sub)>", re.IGNORECASE)
_STAR = re.compile(r"\*\*|(?<!\S)\*(?=\S)|(?<=\S)\*(?!\S)")
_SPACES = re.compile(r"[ \u00a0\u2009\u202f]+")


def is_table_line(line: str) -> bool:
    """A table row: tab-separated cells, or a Markdown row between pipes."""
    stripped = line.strip()
    return ("\t" in line.strip("\n") and bool(stripped)) or (
        stripped.startswith("|") and stripped.endswith("|") and len(stripped) > 1
    )


def starts_item(line: str) -> bool:
    """Whether a line opens an outline item (see MARKER)."""
    return bool(MARKER.match(line.strip()))


def _clean(line: str) -> str:
    if is_table_line(line):
        return (
            "\t".join(_SPACES.sub(" ", cell).strip() for cell in line.rstrip("\n").split("\t"))
            if "\t" in line
            else line.strip()
        )
    line = _HTML_EMPHASIS.sub("", line)
    line = _STAR.sub("", line)
    return _SPACES.sub(" ", line).strip()


def _furniture(lines: list[str]) -> set[str]:
    """Page headers and footers: short lines repeated on three or more pages."""
    counts = Counter(line for line in lines if line and not is_table_line(line) and len(line) <= 80)
    return {
        line
        for line, n in counts.items()
        if n >= 3 and not starts_item(line) and not _SENTENCE_END.search(line)
    }


def _wrap_width(lines: list[str]) -> int:
    lengths = sorted(len(line) for line in lines if len(line) >= 20 and not is_table_line(line))
    if not lengths:
        return 80
    # Pages are rarely narrower than 60 characters; a short text says little about its width.
    return max(60, lengths[int(len(lengths) * 0.75)])


@dataclass
class _Para:
    text: str
    table: bool = False
    lines: list[str] = field(default_factory=list)


_DATE_OPENING = re.compile(r"^Ngày\s+\d{1,2}\s+tháng\s+\d")
_PAREN = re.compile(r"^\((?P<n>[ivx]{1,5}|\d{1,2})\)")
_DASH_CONTINUATION = re.compile(r"^[-–]\s+(?=[^\W\d_])")
_ROMAN_VALUES = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}


def _previous_enumerator(mark: str) -> str | None:
    if mark.isdigit():
        return f"({int(mark) - 1})" if int(mark) > 1 else None
    value = _ROMAN_VALUES.get(mark)
    names = {v: k for k, v in _ROMAN_VALUES.items()}
    return f"({names[value - 1]})" if value and value > 1 else None


def _inline_enumeration(paragraph: str, line: str) -> bool:
    """ "(v) …" continuing "(i) …; (ii) …; (iv) …" written inside the paragraph above."""
    found = _PAREN.match(line)
    before = found and _previous_enumerator(found["n"])
    return bool(before) and before in paragraph[1:]


def _continues(prev: str, line: str, width: int, paragraph: str = "") -> bool:
    """Whether `line` goes on the paragraph whose last physical line is `prev`."""
    if _inline_enumeration(paragraph, line):
        return True
    dash = _DASH_CONTINUATION.match(line)
    if dash and line[dash.end()].islower() and not prev.endswith((":", ";")):
        # "kinh tế\n- xã hội": a dash before a lower-case word is a hyphenated phrase, not a bullet.
        return True
    if starts_item(line) or _looks_like_footnote(prev, line, width) or _DATE_OPENING.match(line):
        return False
    if _is_caps(prev) != _is_caps(line):
        # A title in capitals ("THÔNG BÁO", "DANH MỤC NHIỆM VỤ") is a paragraph of its own.
        return False
    if prev.endswith("./."):
        return False
    first = line[0]
    if first.islower() or (first.isdigit() and not _SENTENCE_END.search(prev)):
        return True
    if _JOINING_END.search(prev) and not _SENTENCE_END.search(prev):
        return True
    if _SENTENCE_END.search(prev):
        return False
    # A line that stops well before the margin ends its paragraph (a heading, a signature, a short item).
    return len(prev) >= width * 0.8


def footnote_line(line: str) -> re.Match | None:
    """ "² Số liệu …", "6 Theo rà soát …": a mark, a space and a capitalised sentence."""
    found = _FOOTNOTE_LINE.match(line)
    return found if found and (found["body"][0].isupper() or found["body"][0] in '“"(') else None


def _is_caps(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    return len(letters) >= 4 and all(ch.isupper() for ch in letters)


def _looks_like_footnote(prev: str, line: str, width: int) -> bool:
    return bool(footnote_line(line)) and (bool(_SENTENCE_END.search(prev)) or len(prev) < width * 0.8)


def reflow(text: str) -> str:
    """Return the text with one paragraph (or table row) per line.

    Args:
        text: NFC or decomposed text, possibly hard-wrapped with blank lines between lines.

    Idempotent: text already laid out one paragraph per line comes back unchanged but for spacing.
    """
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    raw = [_clean(line) for line in text.split("\n")]
    raw = ["" if _PAGE_NUMBER.match(line) else line for line in raw]
    furniture = _furniture(raw)
    lines = [line for line in raw if line and line not in furniture]
    width = _wrap_width(lines)
    paragraphs: list[_Para] = []
    for line in lines:
        table = is_table_line(line)
        last = paragraphs[-1] if paragraphs else None
        if last and not table and not last.table and _continues(last.lines[-1], line, width, last.text):
            glue = "" if re.search(r"\w-$", last.text) and line[0].isdigit() else " "
            last.text += glue + line
            last.lines.append(line)
        else:
            paragraphs.append(_Para(line, table, [line]))
    return "\n".join(p.text for p in paragraphs) + "\n"


def split_footnotes(paragraphs: list[str]) -> tuple[list[str], dict[str, str]]:
    """Take footnote paragraphs ("¹ Số liệu theo dự báo…", "2 Bộ, ngành đạt 50,1%…") out of the body.

    Returns the remaining paragraphs, with plain-digit reference marks glued to words removed
    ("chưa kịp thời1." → "chưa kịp thời."), and the footnotes by mark ("1", "2", …).
    """
    body_text = "\n".join(p for p in paragraphs if not is_table_line(p))
    notes: dict[str, str] = {}
    kept: list[str] = []
    for paragraph in paragraphs:
        found = None if is_table_line(paragraph) else footnote_line(paragraph)
        if found:
            mark = found["mark"].translate(_SUPERSCRIPT)
            referenced = found["mark"] != mark or re.search(
                rf"[^\W\d_]{mark}(?=[\s.,;:)]|$)", body_text.replace(paragraph, "")
            )
            if referenced and mark not in notes:
                notes[mark] = found["body"].strip()
                continue
        kept.append(paragraph)
    if notes:
        marks = "|".join(sorted((re.escape(m) for m in notes), key=len, reverse=True))
        glued = re.compile(rf"(?<=[^\W\d_])(?:{marks})(?=[\s.,;:)]|$)")
        kept = [p if is_table_line(p) else glued.sub("", p) for p in kept]
    return kept, notes
