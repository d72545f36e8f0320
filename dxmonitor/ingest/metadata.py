"""A notice's own particulars from its header: kind, title, date and number. No Django here.

Only the header is read: numbers and dates cited in the body ("theo Thông báo số 156/TB-VPCP ngày …")
belong to other documents.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from dxmonitor.core.vndates import parse_date
from dxmonitor.ingest.reflow import starts_item

HEADER_PARAGRAPHS = 12
_KINDS = [
    ("report", re.compile(r"^BÁO\s+CÁO\b")),
    ("plan", re.compile(r"^KẾ\s+HOẠCH\b")),
    ("decision", re.compile(r"^QUYẾT\s+ĐỊNH\b")),
    ("directive", re.compile(r"^CHỈ\s+THỊ\b")),
    ("resolution", re.compile(r"^NGHỊ\s+QUYẾT\b")),
    ("notice", re.compile(r"^THÔNG\s+BÁO\b")),
]
_PLACE_DATE = re.compile(r"^[^\d,\t]{2,40},\s*ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}", re.I)
_NUMBER = re.compile(r"(?:^|\t|\s{2,})Số\s*[:.]?\s*(?P<number>\d+[\w./-]*[A-ZĐ][\w./-]*)")
_BODY_START = re.compile(r"^(?:Ngày\s+\d|Căn\s+cứ|Thực\s+hiện|Kính\s+gửi|Sau\s+khi)", re.I)


@dataclass
class Metadata:
    kind: str = "other"
    title: str = ""
    date: dt.date | None = None
    number: str | None = None

    def as_dict(self) -> dict:
        return {
            "title": self.title,
            "date": self.date.isoformat() if self.date else None,
            "number": self.number,
            "kind": self.kind,
        }


def read_metadata(paragraphs: list[str]) -> Metadata:
    """Kind, title, date and number from the first paragraphs of a reflowed notice."""
    head = paragraphs[:HEADER_PARAGRAPHS]
    meta = Metadata()
    type_at = None
    for i, paragraph in enumerate(head):
        for kind, pattern in _KINDS:
            if pattern.match(paragraph.strip()) and paragraph.upper() == paragraph:
                meta.kind, type_at = kind, i
                break
        if type_at is not None:
            break
    for paragraph in head:
        found = _NUMBER.search(paragraph)
        if found:
            meta.number = found["number"].rstrip(".")
            break
    if type_at is not None:
        meta.title = _title(head, type_at)
        if meta.kind == "notice" and meta.title.lower().startswith("kết luận"):
            meta.kind = "conclusion"
    meta.date = _date(head, meta.title)
    return meta


def _title(head: list[str], type_at: int) -> str:
    type_line = head[type_at].strip()
    parts = []
    words = type_line.split()
    kind_words = 3 if type_line.startswith(("BÁO CÁO TÓM TẮT",)) else 2
    if len(words) > kind_words or type_line.startswith("BÁO CÁO"):
        parts.append(type_line[:1] + type_line[1:].lower())
    for paragraph in head[type_at + 1 : type_at + 4]:
        if (
            _BODY_START.match(paragraph)
            or starts_item(paragraph)
            or len(paragraph) > 300
            or "\t" in paragraph
        ):
            break
        if paragraph.startswith("(") and parts:
            parts.append(paragraph)
            break
        parts.append(paragraph)
    return " ".join(parts).strip()


def _date(head: list[str], title: str) -> dt.date | None:
    # The header is often a two-column table: "Số: 156/TB-VPCP <tab> Hà Nội, ngày 10 tháng 4 năm 2024".
    for cell in (cell.strip() for paragraph in head for cell in paragraph.split("\t")):
        if _PLACE_DATE.match(cell):
            found = parse_date(cell)
            if found:
                return found
    if title:
        found = parse_date(title)
        if found:
            return found
    for paragraph in head:
        if re.match(r"^Ngày\s+\d", paragraph):
            found = parse_date(paragraph[:60])
            if found:
                return found
    return None
