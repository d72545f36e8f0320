"""Tables in a notice — DOCX tables, tab-separated text or Markdown, all read the same way — and the tasks
of task tables (TT, nhiệm vụ, chủ trì, phối hợp, sản phẩm, thời hạn) and status tables (TT, nhiệm vụ,
chủ trì, kết quả). No Django here.

A table printed over several pages comes back as fragments: its header repeated, and a row cut at the page
break continued in a row with no number. Both are put back together before rows are read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from dxmonitor.agencies.matching import normalize
from dxmonitor.core.vndates import parse_deadline
from dxmonitor.ingest.roles import Reader

# Column roles by header wording, tried in this order (first match wins for a header cell).
_COLUMNS = [
    ("tt", r"^(?:s?tt|so tt|so thu tu|thu tu)$"),
    ("code", r"^ma(?: chi tieu| so)?$"),
    ("unit", r"^(?:don vi tinh|dvt)$"),
    ("lead", r"chu tri"),
    ("coordinating", r"phoi hop"),
    ("product", r"san pham"),
    ("deadline", r"thoi han|thoi gian|tien do|han hoan thanh"),
    ("target", r"muc tieu|chi tieu nam"),
    ("result", r"ket qua|thuc hien"),
    ("name", r"nhiem vu|noi dung|chi tieu|^ten\b|de an|cong viec"),
    ("note", r"ghi chu"),
]
_COLUMN_PATTERNS = [(role, re.compile(pattern)) for role, pattern in _COLUMNS]
_GROUP = re.compile(r"^(?P<roman>[IVX]{1,5})\.?(?:\s+(?P<title>.*))?$")
_MARKDOWN_RULE = re.compile(r"^\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?$")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
# "(Chi tiết tại Phụ lục I)": a pointer to an appendix, not a task.
DETAIL_REFERENCE = re.compile(r"^\(?\s*chi\s+tiết\s+tại\b.*\)?\.?$", re.IGNORECASE)


def cells_of(line: str) -> list[str] | None:
    """The cells of one table line (tab-separated or a Markdown row); None for a Markdown rule line."""
    stripped = line.strip()
    if stripped.startswith("|") and stripped.endswith("|"):
        if _MARKDOWN_RULE.match(stripped):
            return None
        return [cell.strip() for cell in stripped[1:-1].split("|")]
    return [cell.strip() for cell in line.rstrip("\n").split("\t")]


def column_roles(header: list[str]) -> dict[str, int]:
    """Which column holds what, read from the header's wording."""
    roles: dict[str, int] = {}
    for index, cell in enumerate(header):
        key = normalize(cell)
        for role, pattern in _COLUMN_PATTERNS:
            if role not in roles and pattern.search(key):
                roles[role] = index
                break
    return roles


@dataclass
class Row:
    """One numbered (or unnumbered sub-) row, its cells by role, and the group heading it stands under."""

    number: str
    cells: list[str]
    group: str = ""
    parent: str = ""

    def get(self, table: Table, role: str) -> str:
        index = table.columns.get(role)
        if index is None or index >= len(self.cells):
            return ""
        return self.cells[index]


@dataclass
class Table:
    """A table with its header, column roles, kind and rows (fragments joined)."""

    header: list[str]
    columns: dict[str, int]
    rows: list[Row] = field(default_factory=list)

    @property
    def kind(self) -> str:
        """indicators, status, tasks, or other."""
        roles = self.columns
        name = normalize(self.header[roles["name"]]) if "name" in roles else ""
        if "chi tieu" in name and ("target" in roles or "result" in roles):
            return "indicators"
        if "name" in roles and "result" in roles and "deadline" not in roles and "target" not in roles:
            return "status"
        if "name" in roles and ("lead" in roles or "deadline" in roles):
            return "tasks"
        return "other"

    def period(self, role: str) -> str | None:
        """The year a result or target column is for ("Mục tiêu năm 2023" → "2023")."""
        index = self.columns.get(role)
        if index is None:
            return None
        found = _YEAR.search(self.header[index])
        return found.group(1) if found else None


def _is_header(cells: list[str]) -> bool:
    roles = column_roles(cells)
    return "name" in roles and len(roles) >= 2


def parse_table(lines: list[str]) -> Table | None:
    """Read one table block; None when it has no recognisable header."""
    rows = [cells for cells in (cells_of(line) for line in lines) if cells is not None]
    start = next((i for i, cells in enumerate(rows) if _is_header(cells)), None)
    if start is None:
        return None
    header = rows[start]
    table = Table(header, column_roles(header))
    tt = table.columns.get("tt", 0)
    name = table.columns.get("name", 1)
    group = ""
    after_header = True
    header_key = [normalize(c) for c in header]
    for cells in rows[start + 1 :]:
        cells = cells + [""] * (len(header) - len(cells))
        if [normalize(c) for c in cells[: len(header)]] == header_key:
            after_header = True
            continue
        number = cells[tt].strip() if tt < len(cells) else ""
        others = [c for i, c in enumerate(cells) if i not in (tt, name) and c.strip()]
        grouped = _GROUP.match(number) if number else None
        if grouped and not others and not number.isdigit():
            group = (grouped["title"] or cells[name] if name < len(cells) else "").strip()
            after_header = False
            continue
        if not number and table.rows and _continues(cells, name, after_header):
            previous = table.rows[-1]
            previous.cells = [_join(a, b) for a, b in zip(previous.cells, cells, strict=False)]
            after_header = False
            continue
        after_header = False
        if not any(c.strip() for c in cells):
            continue
        parent = ""
        if not number and table.rows:
            parent = table.rows[-1].parent or table.rows[-1].number
        table.rows.append(Row(number, cells, group, parent))
    return table


def _continues(cells: list[str], name: int, after_header: bool) -> bool:
    """An unnumbered row continues the row above when it is the rest of a cell cut at a page break."""
    text = cells[name].strip() if name < len(cells) else ""
    if not text:
        return True
    return text[0].islower() or (after_header and not text[0].isupper())


def _join(left: str, right: str) -> str:
    if not right.strip():
        return left
    if not left.strip():
        return right
    return f"{left.rstrip()} {right.lstrip()}"


def clean_cell(text: str) -> str:
    """A cell's text without markup and footnote marks."""
    text = re.sub(r"</?\w+>", "", text)
    text = re.sub(r"\s*[¹²³⁴⁵⁶⁷⁸⁹⁰]+", "", text)
    return " ".join(text.replace("*", "").split())


def table_tasks(table: Table, reader: Reader, document_date, clause: str, group: str) -> list[dict]:
    """One task per numbered row of a task table or a status table."""
    tasks = []
    status = table.kind == "status"
    for row in table.rows:
        text = clean_cell(row.get(table, "name"))
        if not text or DETAIL_REFERENCE.match(text):
            continue
        number = row.number or (f"{row.parent}+" if row.parent else "")
        task = {
            "clause": ".".join(part for part in (clause, number) if part),
            "text": text,
            "lead": [a.as_dict() for a in reader.cell(clean_cell(row.get(table, "lead")))],
            "coordinating": [a.as_dict() for a in reader.cell(clean_cell(row.get(table, "coordinating")))],
            "deadline": None,
            "group": row.group or group,
            "source": "\t".join(clean_cell(c) for c in row.cells),
        }
        product = clean_cell(row.get(table, "product"))
        if product:
            task["product"] = product
        if status:
            task["status"] = clean_cell(row.get(table, "result"))
        else:
            words = clean_cell(row.get(table, "deadline"))
            found = parse_deadline(words, document_date, column=True) if words else None
            task["deadline"] = deadline_dict(found, words)
        lead_codes = {a["code"] for a in task["lead"]}
        task["coordinating"] = [a for a in task["coordinating"] if a["code"] not in lead_codes]
        tasks.append(task)
    return tasks


def deadline_dict(found, words: str | None = None) -> dict | None:
    """The output form of a deadline: ISO date and the original words; a yearly one keeps its recurrence."""
    if found is None:
        return None
    if found.date is None:
        if found.recurrence:
            return {"date": None, "text": words or found.text, "recurrence": found.recurrence}
        return None
    return {"date": found.date.isoformat(), "text": words if words and len(words) < 60 else found.text}
