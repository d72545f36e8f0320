"""Word's automatic list numbering, rendered as the text a reader sees ("1.", "a)", "II.", "-")."""

from __future__ import annotations

from dataclasses import dataclass, field

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_ROMAN = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc")]
_ROMAN += [(50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]


def roman(number: int) -> str:
    """Lower-case roman numeral."""
    out = ""
    for value, letters in _ROMAN:
        while number >= value:
            out += letters
            number -= value
    return out


def letters(number: int) -> str:
    """Word's letter numbering: a … z, then aa, bb …"""
    return chr(ord("a") + (number - 1) % 26) * ((number - 1) // 26 + 1)


@dataclass
class _Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1


def _format(value: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        out = letters(value)
        return out.upper() if fmt == "upperLetter" else out
    if fmt in ("lowerRoman", "upperRoman"):
        out = roman(value)
        return out.upper() if fmt == "upperRoman" else out
    if fmt == "decimalZero":
        return f"{value:02d}"
    return str(value)


@dataclass
class Numbering:
    """The numbering definitions of one document, and the counters as its paragraphs are read in order."""

    levels: dict[str, dict[int, _Level]] = field(default_factory=dict)
    counters: dict[str, dict[int, int]] = field(default_factory=dict)

    @classmethod
    def of(cls, document) -> Numbering:
        numbering = cls()
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return numbering
        abstract = {}
        for node in root.iter(f"{_W}abstractNum"):
            levels = {}
            for lvl in node.iter(f"{_W}lvl"):
                level = _Level()
                for child, attr in (("numFmt", "fmt"), ("lvlText", "text"), ("start", "start")):
                    found = lvl.find(f"{_W}{child}")
                    if found is not None and found.get(f"{_W}val") is not None:
                        value = found.get(f"{_W}val")
                        setattr(level, attr, int(value) if attr == "start" else value)
                levels[int(lvl.get(f"{_W}ilvl", "0"))] = level
            abstract[node.get(f"{_W}abstractNumId")] = levels
        for num in root.iter(f"{_W}num"):
            ref = num.find(f"{_W}abstractNumId")
            if ref is None:
                continue
            levels = {
                k: _Level(v.fmt, v.text, v.start) for k, v in abstract.get(ref.get(f"{_W}val"), {}).items()
            }
            for override in num.iter(f"{_W}lvlOverride"):
                start = override.find(f"{_W}startOverride")
                ilvl = int(override.get(f"{_W}ilvl", "0"))
                if start is not None and ilvl in levels:
                    levels[ilvl].start = int(start.get(f"{_W}val"))
            numbering.levels[num.get(f"{_W}numId")] = levels
        return numbering

    def label(self, paragraph) -> str | None:
        """The label Word shows before this paragraph, advancing the list's counters; None if unnumbered."""
        found = _num_pr(paragraph)
        if found is None:
            return None
        num_id, ilvl = found
        levels = self.levels.get(num_id)
        if not levels or ilvl not in levels:
            return None
        level = levels[ilvl]
        if level.fmt == "none":
            return None
        if level.fmt == "bullet":
            return "-"
        counters = self.counters.setdefault(num_id, {})
        counters[ilvl] = counters.get(ilvl, level.start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        text = level.text
        for k in range(ilvl + 1):
            value = counters.get(k, levels.get(k, _Level()).start)
            text = text.replace(f"%{k + 1}", _format(value, levels.get(k, _Level()).fmt))
        return text.strip() or None


def _num_pr(paragraph) -> tuple[str, int] | None:
    for holder in (paragraph._p.pPr, _style_ppr(paragraph)):
        if holder is None:
            continue
        num_pr = holder.find(f"{_W}numPr")
        if num_pr is None:
            continue
        num_id = num_pr.find(f"{_W}numId")
        ilvl = num_pr.find(f"{_W}ilvl")
        if num_id is not None and num_id.get(f"{_W}val") not in (None, "0"):
            return num_id.get(f"{_W}val"), int(ilvl.get(f"{_W}val")) if ilvl is not None else 0
    return None


def _style_ppr(paragraph):
    try:
        style = paragraph.style
    except (KeyError, AttributeError):
        return None
    element = getattr(style, "element", None)
    return element.pPr if element is not None else None
