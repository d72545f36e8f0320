"""The one agency-name matcher of the project: normalised keys and look-ups. No Django here."""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

# Notices write "Uỷ"/"Ủy", "Hoà"/"Hòa", "TT&TT"/"TTTT": the key drops marks, case and punctuation so
# these meet. Collisions between agencies valid at the same time are checked by a test on the registry.
_PUNCT = re.compile(r"[^\w\s]+")
_SPACE = re.compile(r"\s+")


def strip_marks(text: str) -> str:
    """Vietnamese text without tone and vowel marks; đ becomes d."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalize(name: str) -> str:
    """The matching key of a name: no marks, lower case, '&' read as 'và', punctuation as space."""
    text = strip_marks(unicodedata.normalize("NFC", name)).lower().replace("&", " va ")
    text = _PUNCT.sub(" ", text).replace("_", " ")
    return _SPACE.sub(" ", text).strip()


def province_aliases(full_name: str, short_name: str) -> list[str]:
    """The forms notices use for a province or centrally-run city."""
    city = full_name.lower().startswith("thành phố")
    forms = [full_name, short_name, f"Ủy ban nhân dân {full_name[0].lower()}{full_name[1:]}"]
    if city:
        forms += [
            f"TP. {short_name}",
            f"TP {short_name}",
            f"UBND thành phố {short_name}",
            f"UBND TP. {short_name}",
        ]
    else:
        forms += [f"Tỉnh {short_name}", f"UBND tỉnh {short_name}"]
    return forms


@dataclass(frozen=True)
class Candidate:
    """What the matcher knows of one agency: enough to choose by date without a database."""

    code: str
    name: str
    kind: str
    valid_from: object = None
    valid_to: object = None

    def valid_on(self, day) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


@dataclass
class Matcher:
    """Looks agencies up by any of their names, as valid on a date."""

    by_key: dict[str, list[Candidate]] = field(default_factory=dict)
    _index: object = field(default=None, init=False, repr=False, compare=False)

    def add(self, candidate: Candidate, names: Iterable[str]):
        self._index = None
        for name in names:
            key = normalize(name)
            if not key:
                continue
            bucket = self.by_key.setdefault(key, [])
            if candidate not in bucket:
                bucket.append(candidate)

    def lookup(self, name: str, on=None) -> list[Candidate]:
        """Agencies known by this name; with `on`, those valid that day first, else the latest ended."""
        return _by_date(self.by_key.get(normalize(name), []), on)


def _by_date(found: list[Candidate], on) -> list[Candidate]:
    if on is None or not found:
        return list(found)
    valid = [c for c in found if c.valid_on(on)]
    if valid:
        return valid
    # A name used after its agency ended (e.g. a 2025 text citing a merged ministry) still means it.
    ended = [c for c in found if c.valid_to is not None and c.valid_to < on]
    return ended or list(found)


# --- Finding agencies named inside a sentence ------------------------------------------------------------

_TOKEN = re.compile(r"\w+|&")
# Between two words of one name: spaces, commas and dashes ("Bộ Lao động - Thương binh và Xã hội").
_GAP = re.compile(r"[ \u00a0,\-–—'’]*")
# A full stop inside a name only after an abbreviation: "TP. Hồ Chí Minh".
_ABBREVIATION_GAP = re.compile(r"\.[ \u00a0]*")
_COMMA_GAP = re.compile(r"[ \u00a0]*,[ \u00a0]*")
# "các Bộ: Công an, Tư pháp", "Thủ trưởng các bộ, cơ quan: Y tế, …": each item is a ministry's short name.
_MINISTRY_LIST = re.compile(
    r"(?<!\w)các\s+bộ(?:\s*,\s*(?:cơ\s+quan(?:\s+ngang\s+bộ)?|ngành))*\s*:\s*", re.IGNORECASE
)
_LIST_ITEM = re.compile(r"[^,;:.()\n\t]+")


@dataclass(frozen=True)
class Mention:
    """An agency named inside a text: which one, and where (character offsets into the text)."""

    candidate: Candidate
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    key: str
    word: str


@dataclass
class _Index:
    names: dict[tuple[str, ...], list[Candidate]]
    prefixes: set[tuple[str, ...]]
    longest: int


def _index_of(matcher: Matcher) -> _Index:
    if matcher._index is None:
        names = {tuple(key.split()): found for key, found in matcher.by_key.items()}
        prefixes = {key[:i] for key in names for i in range(1, len(key) + 1)}
        matcher._index = _Index(names, prefixes, max(map(len, names), default=0))
    return matcher._index


def _tokens(text: str, offset: int = 0) -> list[_Token]:
    return [
        _Token(m.start() + offset, m.end() + offset, normalize(m.group()) or "va", m.group())
        for m in _TOKEN.finditer(text)
    ]


def _joinable(text: str, left: _Token, right: _Token) -> bool:
    gap = text[left.end : right.start]
    if _GAP.fullmatch(gap):
        return True
    return bool(_ABBREVIATION_GAP.fullmatch(gap)) and len(left.word) <= 3 and left.word[0].isupper()


def _longest(text: str, tokens: list[_Token], i: int, index: _Index, head: tuple[str, ...] = ()):
    """The longest registry name starting at token i (after `head`, a virtual prefix): (last token, key)."""
    best, seq = None, head
    for j in range(i, min(len(tokens), i + index.longest)):
        if j > i and not _joinable(text, tokens[j - 1], tokens[j]):
            break
        seq += (tokens[j].key,)
        if seq not in index.prefixes:
            break
        if seq in index.names:
            best = (j, seq)
    return best


def _acceptable(tokens: list[_Token], found: list[Candidate]) -> bool:
    """Guard against ordinary words: a bare "địa phương" or "hòa bình" is not an agency."""
    if all(c.kind == "collective" for c in found):
        return tokens[0].key == "cac" or len(tokens) >= 3
    return any(t.word[0].isupper() or t.word[0].isdigit() for t in tokens)


def _mention(text: str, tokens: list[_Token], found: list[Candidate], on) -> Mention:
    start, end = tokens[0].start, tokens[-1].end
    return Mention(_by_date(found, on)[0], start, end, text[start:end])


def _continuations(text, tokens, j, key, index, on) -> list[Mention]:
    """Collectives sharing a head: "các doanh nghiệp viễn thông, điện lực", "các bộ, ngành, địa phương,
    doanh nghiệp" name one more collective per listed word."""
    out = []
    while j + 1 < len(tokens):
        k = j + 1
        if tokens[k].key == "va" and text[tokens[j].end : tokens[k].start].strip() == "":
            k += 1
        elif not _COMMA_GAP.fullmatch(text[tokens[j].end : tokens[k].start]):
            break
        heads = [("cac",)] + [key[:h] for h in range(len(key) - 1, 1, -1)]
        best = None
        for head in heads:
            hit = k < len(tokens) and _longest(text, tokens, k, index, head)
            collective = hit and all(c.kind == "collective" for c in index.names[hit[1]])
            if collective and (best is None or hit[0] > best[0]):
                best = hit
        if best is None:
            break
        out.append(_mention(text, tokens[k : best[0] + 1], index.names[best[1]], on))
        j, key = best[0], best[1]
    return out


def _ministry_lists(text: str, index: _Index, on) -> tuple[list[Mention], list[tuple[int, int]]]:
    """Items of "các Bộ: Công an, Tư pháp" lists, each read with "Bộ " before it; and the heads' spans."""
    found, heads = [], []
    for head in _MINISTRY_LIST.finditer(text):
        items = []
        pos = head.end()
        while True:
            item = _LIST_ITEM.match(text, pos)
            if not item:
                break
            tokens = _tokens(item.group(), item.start())
            named = _prefixed_names(text, tokens, index, on)
            if not named:
                break
            items += named
            pos = item.end()
            separator = re.match(r"\s*,\s*", text[pos:])
            if not separator:
                break
            pos += separator.end()
        if items:
            found += items
            heads.append((head.start(), head.end()))
    return found, heads


def _prefixed_names(text, tokens, index, on) -> list[Mention]:
    """Names in one list item: 'Tư pháp và Y tế' → Bộ Tư pháp, Bộ Y tế; a full name is read as is."""
    out, i = [], 0
    while i < len(tokens):
        hit = _longest(text, tokens, i, index, ("bo",)) or _longest(text, tokens, i, index)
        if not hit:
            return out if out else []
        out.append(_mention(text, tokens[i : hit[0] + 1], index.names[hit[1]], on))
        i = hit[0] + 1
        if i < len(tokens) and tokens[i].key == "va":
            i += 1
        elif i < len(tokens):
            break
    return out


def find_agencies(matcher: Matcher, text: str, on=None) -> list[Mention]:
    """Every agency named in a text, longest name first, in reading order.

    Args:
        matcher: the project's matcher (e.g. `reference.offline_matcher()`).
        text: any text, such as a directive or a table cell.
        on: the document's date; names are resolved to the agencies valid that day.

    Collective wordings followed by a colon introduce a list and are not themselves returned; items of
    "các Bộ: Công an, Tư pháp" are read as "Bộ Công an", "Bộ Tư pháp".
    """
    index = _index_of(matcher)
    tokens = _tokens(text)
    listed, heads = _ministry_lists(text, index, on)
    found: list[Mention] = []
    i = 0
    while i < len(tokens):
        hit = _longest(text, tokens, i, index)
        if hit and _acceptable(tokens[i : hit[0] + 1], index.names[hit[1]]):
            mention = _mention(text, tokens[i : hit[0] + 1], index.names[hit[1]], on)
            found.append(mention)
            if mention.candidate.kind == "collective":
                found += _continuations(text, tokens, hit[0], hit[1], index, on)
                i = max(hit[0], *(_last_token(tokens, m) for m in found[-1:])) + 1
            else:
                i = hit[0] + 1
            continue
        i += 1
    found = [m for m in found if not any(s <= m.start < e for s, e in heads)]
    found += [m for m in listed if not any(m.start < o.end and o.start < m.end for o in found)]
    return sorted(found, key=lambda m: m.start)


def _last_token(tokens: list[_Token], mention: Mention) -> int:
    return max(k for k, t in enumerate(tokens) if t.end <= mention.end)
