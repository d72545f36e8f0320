"""A notice's text → its tasks and indicators, in the output format of docs EXTRACTION.md. No Django here.

    extract(text) → {"document": {...}, "tasks": [...], "indicators": [...]}

Tasks come from the parts of the outline that assign work (one per directive item: a bullet, or a
numbered or lettered item without sub-items), from directives stated outright elsewhere ("Giao Bộ …
chủ trì …", "Đề nghị Bộ …"), and from task and status tables. Indicators come from indicator tables and
from targets stated in a sentence ("Tỷ lệ … đạt 45,78%, mục tiêu là 80%").

Rules chosen where EXTRACTION.md is silent are those of the gold annotations' README
(ingest/tests/gold/README.md); each is written as a general rule in the function that applies it.
"""

from __future__ import annotations

import datetime as dt
import re

from dxmonitor.agencies.matching import Matcher
from dxmonitor.core.vndates import parse_deadline
from dxmonitor.ingest import outline
from dxmonitor.ingest.indicators import prose_indicators, table_indicators
from dxmonitor.ingest.metadata import read_metadata
from dxmonitor.ingest.outline import Item
from dxmonitor.ingest.reflow import reflow, split_footnotes
from dxmonitor.ingest.roles import Agency, Reader, sentences, unique
from dxmonitor.ingest.tables import DETAIL_REFERENCE, deadline_dict, parse_table, table_tasks

_OUTRIGHT = re.compile(r"^(?:Giao|Đề\s+nghị|Yêu\s+cầu)\s", re.IGNORECASE)
_GROUP_LIMIT = 160


def extract(
    text: str,
    *,
    matcher: Matcher | None = None,
    document_date: dt.date | None = None,
    kind: str | None = None,
) -> dict:
    """Read a notice.

    Args:
        text: the notice's text (any layout; it is reflowed here).
        matcher: the agency matcher; the shipped registry's when None.
        document_date: overrides the date read from the document (agencies are resolved as valid then).
        kind: overrides the kind read from the document (conclusion, report, plan, …).

    Returns:
        {"document": {"title", "date", "number", "kind"}, "tasks": [...], "indicators": [...]}
    """
    if matcher is None:
        from dxmonitor.agencies.reference import offline_matcher

        matcher = offline_matcher()
    paragraphs, notes = split_footnotes(reflow(text).splitlines())
    meta = read_metadata(paragraphs)
    if document_date is not None:
        meta.date = document_date
    if kind:
        meta.kind = kind
    reader = Reader(matcher, meta.date)
    root = outline.parse(paragraphs)
    tasks: list[dict] = []
    indicators: list[dict] = []
    for item in root.walk():
        if item is not root:
            tasks += _item_tasks(item, reader, meta.date)
            indicators += _prose_indicators(item, reader)
        for block in item.tables:
            table = parse_table(block)
            if table is None:
                continue
            if table.kind == "indicators":
                indicators += table_indicators(table, reader, meta.date, notes, item.path)
            elif table.kind in ("tasks", "status"):
                tasks += table_tasks(table, reader, meta.date, item.path, _group(item))
    _number_duplicate_clauses(tasks)
    return {"document": meta.as_dict(), "tasks": tasks, "indicators": indicators}


# --- Tasks from the outline ---------------------------------------------------------------------------

_ORDINAL = re.compile(r"^(?:Một|Hai|Ba|Bốn|Năm|Sáu|Bảy|Tám|Chín|Mười)\s+là\s*[,:]\s*", re.IGNORECASE)
_VIEWPOINT = re.compile(r"^(?:quán\s+triệt\s+)?(?:(?:các|một\s+số)\s+)?quan\s+điểm\b", re.IGNORECASE)
_MODAL = re.compile(r"(?<!\w)(?:cần|phải|khẩn\s+trương|chủ\s+trì)(?!\w)", re.IGNORECASE)
_OPEN_ENDED = re.compile(
    r"(?:thời\s+gian|giai\s+đoạn)\s+tới|những\s+năm\s+tiếp\s+theo|trở\s+đi", re.IGNORECASE
)


def _assigns(item: Item, reader: Reader) -> bool:
    """Whether the item stands in a part that assigns work: announced so, or, where the part announces
    nothing, under a heading that names an agency ("2. Bộ Thông tin và Truyền thông")."""
    if item.role == outline.ROLE_ASSIGN:
        return True
    if item.role != outline.ROLE_UNKNOWN:
        return False
    if any(reader.only_agencies(node.head) for node in (item, *item.ancestors()) if node.kind != "root"):
        return True
    return not item.children and _dated_directive(item.head, reader)


def _dated_directive(text: str, reader: Reader) -> bool:
    """An item that gives its own doers work to finish by a date or with urgency ("1. Ủy ban nhân dân
    thành phố Hà Nội xây dựng …, hoàn thành trước ngày …"), not one that reports what they did."""
    doers = reader.subject(text)
    if not doers or _PAST.search(_first_clause(text)):
        return False
    return bool(_MODAL.search(text)) or parse_deadline(text, reader.on) is not None


_PAST = re.compile(r"(?<!\w)(?:đã|vừa|đang)(?!\w)", re.IGNORECASE)


def _first_clause(text: str) -> str:
    return re.split(r"[,;.:]", text, maxsplit=1)[0]


def _item_tasks(item: Item, reader: Reader, date) -> list[dict]:
    if not _assigns(item, reader):
        return _outright(item, reader, date)
    if item.children:
        # An introduction gives no task, but a paragraph before the list that names its own doers does.
        tasks = [_task(item, [p], reader, date) for p in item.body if _standalone_directive(p, reader)]
    else:
        tasks = _leaf_tasks(item, reader, date)
    # A directive paragraph after the last item of a list belongs to the enclosing item.
    tasks += [_task(item, [p], reader, date) for p in item.trailing if _closing_directive(p, reader)]
    return tasks


def _is_title(text: str) -> bool:
    """A heading that names a topic ("3.3. Làm sạch dữ liệu thông tin thuê bao") rather than the work."""
    text = text.strip()
    return bool(text) and not re.search(r"[.;:!?…]$", text) and len(text.split()) <= 20


def _leaf_tasks(item: Item, reader: Reader, date) -> list[dict]:
    """One task per item; a later paragraph that gives work to doers of its own is a task of its own."""
    heading = reader.only_agencies(item.head)
    if heading:
        # "b) Bộ Tài chính" followed by paragraphs: each paragraph is that agency's task.
        return [
            _task(item, [p], reader, date, clause=f"{item.path}.{k}", inherited=heading)
            for k, p in enumerate(item.body, 1)
            if not DETAIL_REFERENCE.match(p.strip())
        ]
    titled = _is_title(item.head) and bool(item.body)
    kept: list[str] = []
    separate: list[tuple[int, str]] = []
    for index, paragraph in enumerate(item.paragraphs, 1):
        if (titled and index == 1) or DETAIL_REFERENCE.match(paragraph.strip()):
            continue
        if kept and _assigns_own(paragraph, reader):
            separate.append((index, paragraph))
        else:
            kept.append(paragraph)
    if not kept or _VIEWPOINT.match(_ORDINAL.sub("", kept[0])):
        return []
    tasks = [_task(item, kept, reader, date, source=item.source)]
    tasks += [_task(item, [p], reader, date, clause=f"{item.path}.{k}") for k, p in separate]
    return tasks


def _assigns_own(paragraph: str, reader: Reader) -> bool:
    """A paragraph that opens by giving work: "Yêu cầu 07 Ủy ban nhân dân …", "Giao Bộ …", "Bộ X chủ trì …"."""
    first = sentences(paragraph)[0] if paragraph.strip() else ""
    return bool(
        (_OUTRIGHT.match(first) and reader.assigned(first))
        or (reader.subject(first) and reader.chairs(first))
    )


def _standalone_directive(paragraph: str, reader: Reader) -> bool:
    """A paragraph before a list that gives work on its own: its doers come first and it is not an
    introduction to the list, a reference to an appendix or a signature."""
    text = paragraph.strip()
    if text.endswith(":") or DETAIL_REFERENCE.match(text) or text.isupper() or len(text.split()) < 6:
        return False
    return bool(reader.subject(text))


def _closing_directive(paragraph: str, reader: Reader) -> bool:
    """A paragraph after a list that still asks named agencies for something ("… cần có văn bản …")."""
    text = paragraph.strip()
    if text.endswith(":") or DETAIL_REFERENCE.match(text) or text.isupper() or len(text.split()) < 6:
        return False
    if reader.subject(text) or reader.assigned(text) or reader.chairs(text):
        return True
    return bool(_MODAL.search(text) and reader.runs(text))


def _outright(item: Item, reader: Reader, date) -> list[dict]:
    """Directives stated outright inside a part that only reports: "Giao Bộ … chủ trì …"."""
    tasks = []
    for paragraph in item.paragraphs + item.trailing:
        for sentence in sentences(paragraph):
            if _OUTRIGHT.match(sentence) and reader.assigned(sentence):
                tasks.append(_task(item, [sentence], reader, date))
    return tasks


def _task(
    item: Item,
    paragraphs: list[str],
    reader: Reader,
    date,
    clause: str | None = None,
    inherited: list[Agency] | None = None,
    source: str | None = None,
) -> dict:
    """One task from some paragraphs of an item; `source` is the passage shown to a reviewer."""
    source = source or "\n".join(p.strip() for p in paragraphs)
    paragraphs = [_ORDINAL.sub("", p.strip()) for p in paragraphs]
    text = " ".join(paragraphs)
    lead = _leads(paragraphs, item, reader, inherited)
    lead_codes = {a.code for a in lead}
    coordinating = [a for a in reader.coordinators(text) if a.code not in lead_codes]
    found = deadline_dict(parse_deadline(text, date)) or _lead_in_deadline(item, date)
    return {
        "clause": clause or item.path,
        "text": text,
        "lead": [a.as_dict() for a in lead],
        "coordinating": [a.as_dict() for a in coordinating],
        "deadline": found,
        "group": _group(item.parent) if item.parent and item.parent.kind != "root" else "",
        "source": source,
    }


def _lead_in_deadline(item: Item, date) -> dict | None:
    """A timeframe set for a whole list ("… triển khai các nhiệm vụ trọng tâm sau trong năm 2023:") applies
    to its items without a deadline of their own, unless it is open-ended ("… và thời gian tới")."""
    for ancestor in item.ancestors():
        if ancestor.kind == "root":
            break
        lead_ins = [s for p in ancestor.paragraphs for s in sentences(p) if s.rstrip().endswith(":")]
        for sentence in lead_ins:
            if _OPEN_ENDED.search(sentence):
                continue
            found = deadline_dict(parse_deadline(sentence, date))
            if found and found.get("date"):
                return found
    return None


def _leads(paragraphs: list[str], item: Item, reader: Reader, inherited: list[Agency] | None) -> list[Agency]:
    """Who leads: the doers the directive names, else those of the heading it stands under."""
    found = _named_doers(paragraphs, reader)
    if found:
        # A later sentence of the directive that gives work to others adds them ("… Các cơ quan truyền
        # thông nghiên cứu, bố trí …").
        for sentence in sentences(paragraphs[0])[1:]:
            found += reader.subject(sentence)
        return unique(found)
    text = " ".join(paragraphs)
    if not inherited:
        for ancestor in item.ancestors():
            if ancestor.kind == "root":
                break
            inherited = _heading_doers(ancestor, reader)
            if inherited:
                break
    if inherited:
        # A heading for several doers is narrowed when the item speaks of only some of them.
        named = {a.code for a in reader.agencies(reader.mentions(text))}
        narrowed = [a for a in inherited if a.code in named]
        extra = []
        for sentence in sentences(paragraphs[0])[1:]:
            extra += reader.subject(sentence)
        return unique((narrowed if 0 < len(narrowed) < len(inherited) else inherited) + extra)
    return reader.first(text)


def _named_doers(paragraphs: list[str], reader: Reader) -> list[Agency]:
    # A titled item ("3.3. Làm sạch dữ liệu thông tin thuê bao") names its doers in the paragraph below.
    for paragraph in paragraphs:
        found = reader.subject(paragraph)
        if found:
            return found
    text = " ".join(paragraphs)
    for read in (reader.chairs, reader.assigned, reader.listed_after_colon):
        found = read(text)
        if found:
            return found
    return []


def _heading_doers(item: Item, reader: Reader) -> list[Agency]:
    found = reader.only_agencies(item.head)
    if found:
        return found
    for paragraph in reversed(item.paragraphs):
        found = reader.introduced(paragraph)
        if found:
            return found
    for read in (reader.subject, reader.assigned):
        found = read(item.head)
        if found:
            return found
    if len(item.head.split()) <= 25:
        return reader.first(item.head)
    return []


def _group(item: Item) -> str:
    head = item.head.strip()
    cut = re.split(r"(?<=[^\d]):\s|\.\s", head, maxsplit=1)[0].rstrip(":. ")
    if len(cut) > _GROUP_LIMIT:
        cut = cut[:_GROUP_LIMIT].rsplit(" ", 1)[0] + "…"
    return cut


def _number_duplicate_clauses(tasks: list[dict]):
    """Several tasks read from one item share its clause; number them so each clause names one task."""
    seen: dict[str, int] = {}
    for task in tasks:
        seen[task["clause"]] = seen.get(task["clause"], 0) + 1
    counters: dict[str, int] = {}
    for task in tasks:
        clause = task["clause"]
        if seen[clause] > 1:
            counters[clause] = counters.get(clause, 0) + 1
            if counters[clause] > 1:
                task["clause"] = f"{clause}#{counters[clause]}"


# --- Indicators -----------------------------------------------------------------------------------------


def _prose_indicators(item: Item, reader: Reader) -> list[dict]:
    """Targets stated in the item's sentences; in a part that assigns work they belong to its doers."""
    found = []
    for paragraph in item.paragraphs + item.trailing:
        lead = []
        if _assigns(item, reader):
            lead = [a.as_dict() for a in _leads([paragraph], item, reader, None)]
        found += prose_indicators(paragraph, lead)
    return found
