"""A notice's outline: items (I., A., 1., 1.1., a), (i), "- ", "Một là,") with their paragraphs and tables,
and which parts assign work. No Django here.

Levels are not fixed: a marker kind takes the level at which it first appears under its parent, the way
a reader follows "A. → I. → 1. → a) → -". A plain paragraph after an item belongs to it while the list
goes on (the next marker is its sibling or child); after the last item of a list it closes the parent.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from dxmonitor.ingest.reflow import MARKER, is_table_line

ROLE_ASSIGN = "assign"
ROLE_REPORT = "report"
ROLE_VIEW = "view"
ROLE_TARGETS = "targets"
# A part whose heading announces nothing; it assigns work only under a heading that names an agency.
ROLE_UNKNOWN = "unknown"

# The signature block and distribution list end the body: "… thông báo để … biết, thực hiện./.", "Nơi nhận:".
_CLOSING = re.compile(
    r"^(?:Nơi\s+nhận\s*:|.{0,80}\bthông\s+báo\s+để\b.*\bbiết\b|.*\bbiết,\s+thực\s+hiện\s*\./\.)", re.I
)
_STARTING_CUES = [
    (ROLE_VIEW, r"(?:những\s+|một\s+số\s+)?(?:quan\s+điểm|bài\s+học)"),
    (ROLE_TARGETS, r"(?:các\s+)?mục\s+tiêu"),
    (
        ROLE_REPORT,
        r"(?:(?:những|các)\s+)?(?:kết\s+quả|tồn\s+tại|hạn\s+chế|khó\s+khăn|ghi\s+nhận|biểu\s+dương|đánh\s+giá|tình\s+hình)"
        r"|bên\s+cạnh\s+những\s+kết\s+quả",
    ),
    (
        ROLE_ASSIGN,
        r"(?:về\s+)?(?:(?:các|những|một\s+số)\s+)?(?:nhóm\s+)?(?:nhiệm\s+vụ|giải\s+pháp|kiến\s+nghị|đề\s+xuất|yêu\s+cầu|giao|đề\s+nghị)",
    ),
]
_STARTING = [(role, re.compile(rf"^(?:[\W\d_]*)(?:{pattern})\b", re.I)) for role, pattern in _STARTING_CUES]
_ANYWHERE = [
    (ROLE_VIEW, re.compile(r"\bquan\s+điểm\b", re.I)),
    (ROLE_REPORT, re.compile(r"\b(?:kết\s+quả|tồn\s+tại|hạn\s+chế|ghi\s+nhận|biểu\s+dương)\b", re.I)),
    (ROLE_ASSIGN, re.compile(r"\b(?:nhiệm\s+vụ|giải\s+pháp|yêu\s+cầu|đề\s+nghị|giao)\b", re.I)),
    (ROLE_TARGETS, re.compile(r"\bmục\s+tiêu\b", re.I)),
]
_ROMAN_VALUE = {"I": 1, "V": 5, "X": 10}


def roman_value(numeral: str) -> int:
    """Value of a roman numeral (I … XXXIX)."""
    total = 0
    for i, ch in enumerate(numeral.upper()):
        value = _ROMAN_VALUE.get(ch, 0)
        nxt = _ROMAN_VALUE.get(numeral[i + 1].upper(), 0) if i + 1 < len(numeral) else 0
        total += -value if value < nxt else value
    return total


@dataclass
class Item:
    """One outline item: its marker, its own paragraph, further paragraphs, tables and sub-items."""

    kind: str
    label: str
    head: str = ""
    marker: str = ""
    body: list[str] = field(default_factory=list)
    trailing: list[str] = field(default_factory=list)
    tables: list[list[str]] = field(default_factory=list)
    children: list[Item] = field(default_factory=list)
    parent: Item | None = field(default=None, repr=False)
    role: str = ROLE_REPORT
    order: int = 0

    @property
    def path(self) -> str:
        """Clause path such as "B.II.7" or "4.b.2"; a dotted number replaces its parent ("IV.1.2")."""
        parts: list[str] = []
        node: Item | None = self
        while node is not None and node.kind != "root":
            parts.append(node.label)
            node = node.parent
        parts.reverse()
        out: list[str] = []
        for part in parts:
            if out and "." in part and part.startswith(out[-1] + "."):
                out[-1] = part
            else:
                out.append(part)
        return ".".join(out)

    @property
    def paragraphs(self) -> list[str]:
        """The item's own text: its first paragraph and the paragraphs that follow it, without sub-items."""
        return ([self.head] if self.head else []) + self.body

    @property
    def source(self) -> str:
        """The passage as written, marker included, for a reviewer."""
        first = f"{self.marker} {self.head}".strip()
        return "\n".join([first, *self.body] if first else self.body)

    def walk(self) -> Iterator[Item]:
        yield self
        for child in self.children:
            yield from child.walk()

    def ancestors(self) -> Iterator[Item]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


def _marker(paragraph: str) -> tuple[str, str, str, str] | None:
    """(kind, label, marker text, rest) of a paragraph that opens an item."""
    found = MARKER.match(paragraph)
    if not found:
        return None
    rest = paragraph[found.end() :].strip()
    marker = found.group(0).strip()
    for kind in ("roman", "upper", "dotted", "number", "letter", "paren", "bullet", "ordinal"):
        value = found.group(kind)
        if value is None:
            continue
        if kind == "paren":
            kind = "paren-" + (
                "number" if value.isdigit() else "roman" if set(value) <= set("ivx") else "letter"
            )
        if kind == "dotted":
            kind = f"dotted{value.count('.')}"
        if kind == "ordinal":
            rest = paragraph[found.end() :].strip()
        return kind, value, marker, rest
    return None


def _same_level(stack: list[Item], kind: str) -> int | None:
    """Index in the stack of an open item this marker continues (a sibling), if any."""
    for depth in range(len(stack) - 1, 0, -1):
        if stack[depth].kind == kind:
            return depth
    return None


def _resolve_kind(stack: list[Item], kind: str, label: str) -> str:
    """ "I." after "H." continues a list of capital letters, not of roman numerals."""
    if kind == "roman" and len(label) == 1:
        for item in reversed(stack[1:]):
            if item.kind == "upper" and ord(label) == ord(item.label) + 1:
                return "upper"
    return kind


def parse(paragraphs: list[str]) -> Item:
    """Build the outline of a notice from its paragraphs (one per line, tables as tab-separated rows)."""
    root = Item("root", "")
    stack: list[Item] = [root]
    pending: list[str] = []
    bullet_counts: dict[int, int] = {}
    order = 0
    table: list[str] = []

    def flush_table():
        if table:
            stack[-1].tables.append(list(table))
            table.clear()

    def settle(closing_depth: int | None):
        """Place paragraphs that followed the last item: with it while its list goes on, else with the
        parent of the list that just closed."""
        if not pending:
            return
        target = stack[-1]
        if closing_depth is not None and closing_depth < len(stack):
            target = stack[closing_depth - 1] if closing_depth > 0 else root
            target.trailing.extend(pending)
        else:
            target.body.extend(pending)
        pending.clear()

    for paragraph in paragraphs:
        if is_table_line(paragraph):
            settle(None)
            table.append(paragraph)
            continue
        flush_table()
        if _CLOSING.match(paragraph):
            break
        found = _marker(paragraph)
        if found is None:
            pending.append(paragraph)
            continue
        kind, label, marker, rest = found
        kind = _resolve_kind(stack, kind, label)
        depth = _same_level(stack, kind)
        if depth is not None:
            # A sibling: paragraphs since the last item belong to it (the list goes on).
            settle(None)
            del stack[depth:]
        elif pending:
            # A new, deeper list: paragraphs before it introduce it and belong to the open item.
            settle(None)
        parent = stack[-1]
        if kind == "bullet":
            count = bullet_counts.get(id(parent), 0) + 1
            bullet_counts[id(parent)] = count
            label = str(count)
        elif kind == "ordinal":
            label = marker.split()[0]
        order += 1
        item = Item(kind, label, rest, marker, parent=parent, order=order)
        parent.children.append(item)
        stack.append(item)
    flush_table()
    if pending:
        # The document ended (or reached its signature) after the last item: the text closes its parent.
        last = stack[-1]
        (last.parent or root).trailing.extend(pending) if last is not root else root.body.extend(pending)
    _assign_roles(root)
    return root


def role_of_text(text: str, anywhere: bool) -> str | None:
    """The role a heading announces: assigning work, reporting, viewpoints or targets."""
    for role, pattern in _STARTING:
        if pattern.match(text):
            return role
    if not anywhere:
        return None
    first = None
    for role, pattern in _ANYWHERE:
        hit = pattern.search(text)
        if hit and (first is None or hit.start() < first[1]):
            first = (role, hit.start())
    return first[0] if first else None


def _first_sentence(text: str) -> str:
    return re.split(r"(?<=[.:;])\s", text, maxsplit=1)[0]


def _assign_roles(root: Item):
    root.role = ROLE_REPORT
    for item in root.walk():
        if item is root:
            continue
        parent_role = item.parent.role if item.parent else ROLE_REPORT
        top = item.parent is root
        # A heading announces its part; a long item inside a part does not change it by its first words.
        heading = top or bool(item.children) or len(item.head.split()) <= 15
        own = role_of_text(item.head, anywhere=False) if heading else None
        if own is None and top:
            own = role_of_text(_first_sentence(item.head), anywhere=True)
            if own is None:
                own = role_of_text(" ".join(item.body), anywhere=True)
        if own == ROLE_ASSIGN and parent_role == ROLE_TARGETS:
            own = None
        item.role = own or (ROLE_UNKNOWN if top else parent_role)
