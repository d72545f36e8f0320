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

    def add(self, candidate: Candidate, names: Iterable[str]):
        for name in names:
            key = normalize(name)
            if not key:
                continue
            bucket = self.by_key.setdefault(key, [])
            if candidate not in bucket:
                bucket.append(candidate)

    def lookup(self, name: str, on=None) -> list[Candidate]:
        """Agencies known by this name; with `on`, those valid that day first, else the latest ended."""
        found = self.by_key.get(normalize(name), [])
        if on is None or not found:
            return list(found)
        valid = [c for c in found if c.valid_on(on)]
        if valid:
            return valid
        # A name used after its agency ended (e.g. a 2025 text citing a merged ministry) still means it.
        ended = [c for c in found if c.valid_to is not None and c.valid_to < on]
        return ended or list(found)
