"""Reporting periods (year, half, quarter, month) shared by targets, observations and rounds."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import total_ordering

KINDS = ("year", "half", "quarter", "month")
_INDEX_RANGE = {"half": 2, "quarter": 4, "month": 12}
_MONTHS_PER = {"year": 12, "half": 6, "quarter": 3, "month": 1}
_ROMAN = ("I", "II", "III", "IV")
_MONTH_NAMES_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_CODE = re.compile(r"(?P<year>\d{4})(?:-(?:H(?P<half>[12])|Q(?P<quarter>[1-4])|(?P<month>0[1-9]|1[0-2])))?")


def end_of_month(year: int, month: int) -> dt.date:
    """Return the last day of a month."""
    if not 1 <= month <= 12:
        raise ValueError(f"Month must be between 1 and 12, not {month}")
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def end_of_quarter(year: int, q: int) -> dt.date:
    """Return the last day of a quarter (1 to 4)."""
    if not 1 <= q <= 4:
        raise ValueError(f"Quarter must be between 1 and 4, not {q}")
    return end_of_month(year, 3 * q)


@total_ordering
@dataclass(frozen=True)
class Period:
    """A calendar reporting period: a year, a half-year, a quarter or a month."""

    kind: str
    year: int
    index: int | None = None

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"Period kind must be one of {', '.join(KINDS)}, not {self.kind!r}")
        if not 1 <= self.year <= 9999:
            raise ValueError(f"Period year must be between 1 and 9999, not {self.year}")
        if self.kind == "year":
            if self.index is not None:
                raise ValueError(f"A year period has no index, got {self.index}")
        elif not isinstance(self.index, int) or not 1 <= self.index <= _INDEX_RANGE[self.kind]:
            raise ValueError(
                f"A {self.kind} period needs an index from 1 to {_INDEX_RANGE[self.kind]}, not {self.index!r}"
            )

    @classmethod
    def parse(cls, code: str) -> Period:
        """Return the period for a canonical code: 2023, 2023-H1, 2023-Q2 or 2023-06."""
        match = _CODE.fullmatch(code.strip()) if isinstance(code, str) else None
        if not match:
            raise ValueError(f"Not a period code: {code!r} (expected 2023, 2023-H1, 2023-Q2 or 2023-06)")
        year = int(match["year"])
        for kind in ("half", "quarter", "month"):
            if match[kind]:
                return cls(kind, year, int(match[kind]))
        return cls("year", year)

    @classmethod
    def of(cls, kind: str, day: dt.date) -> Period:
        """Return the period of this kind that contains a day."""
        if kind == "year":
            return cls("year", day.year)
        if kind not in _MONTHS_PER:
            raise ValueError(f"Period kind must be one of {', '.join(KINDS)}, not {kind!r}")
        return cls(kind, day.year, (day.month - 1) // _MONTHS_PER[kind] + 1)

    @property
    def _first_month(self) -> int:
        return 1 if self.index is None else (self.index - 1) * _MONTHS_PER[self.kind] + 1

    @property
    def start(self) -> dt.date:
        """First day of the period."""
        return dt.date(self.year, self._first_month, 1)

    @property
    def end(self) -> dt.date:
        """Last day of the period."""
        return end_of_month(self.year, self._first_month + _MONTHS_PER[self.kind] - 1)

    @property
    def code(self) -> str:
        """Canonical code: 2023, 2023-H1, 2023-Q2, 2023-06."""
        if self.kind == "year":
            return f"{self.year:04d}"
        return f"{self.year:04d}-" + {"half": "H{}", "quarter": "Q{}"}.get(self.kind, "{:02d}").format(
            self.index
        )

    @property
    def label_vi(self) -> str:
        """Vietnamese label as written in official documents."""
        if self.kind == "year":
            return f"Năm {self.year}"
        if self.kind == "half":
            return f"6 tháng {'đầu' if self.index == 1 else 'cuối'} năm {self.year}"
        if self.kind == "quarter":
            return f"Quý {_ROMAN[self.index - 1]}/{self.year}"
        return f"Tháng {self.index}/{self.year}"

    @property
    def label_en(self) -> str:
        """English label."""
        if self.kind == "year":
            return str(self.year)
        if self.kind == "half":
            return f"{'First' if self.index == 1 else 'Second'} half of {self.year}"
        if self.kind == "quarter":
            return f"Q{self.index} {self.year}"
        return f"{_MONTH_NAMES_EN[self.index - 1]} {self.year}"

    def contains(self, day: dt.date) -> bool:
        """Whether a day falls inside the period."""
        if isinstance(day, dt.datetime):
            day = day.date()
        return self.start <= day <= self.end

    def next(self) -> Period:
        """The period of the same kind that follows."""
        return Period.of(self.kind, self.end + dt.timedelta(days=1))

    def previous(self) -> Period:
        """The period of the same kind that precedes."""
        return Period.of(self.kind, self.start - dt.timedelta(days=1))

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        # Start, then end: a year sorts after its own first half, before the next one.
        return (self.start, self.end) < (other.start, other.end)

    def __str__(self) -> str:
        return self.code
