"""A national (or parent) figure from agency values, by the indicator's formula. No Django here.

Formulas, as the notices use them:
- "value": one value reported for the whole (the nation's own figure);
- "ratio": Σ numerators / Σ denominators, × 100 when the unit is a share (%);
- "share_of_agencies": how many of the agencies required did it, per group ("06/30 bộ, ngành;
  29/63 địa phương"), and the overall share;
- "sum" and "mean" of the agencies' values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

VALUE, RATIO, SHARE_OF_AGENCIES, SUM, MEAN, COMPUTED = (
    "value",
    "ratio",
    "share_of_agencies",
    "sum",
    "mean",
    "computed",
)
# Formulas whose national figure is made from the agencies' values.
AGGREGATES = (RATIO, SHARE_OF_AGENCIES, SUM, MEAN)

# Agency groups as the notices count them, with their Vietnamese and English labels.
CENTRAL, PROVINCE, COMMUNE, ENTERPRISE, OTHER = "central", "province", "commune", "enterprise", "other"
GROUP_LABELS = {
    CENTRAL: ("bộ, ngành", "ministries and sectors"),
    PROVINCE: ("địa phương", "provinces"),
    COMMUNE: ("xã, phường", "communes"),
    ENTERPRISE: ("doanh nghiệp nhà nước", "state enterprises"),
    OTHER: ("cơ quan khác", "other agencies"),
}
GROUP_ORDER = (CENTRAL, PROVINCE, COMMUNE, ENTERPRISE, OTHER)


def is_percent(unit: str) -> bool:
    """Whether a unit is a share in per cent."""
    return (unit or "").strip() in {"%", "phần trăm", "percent"}


@dataclass(frozen=True)
class AgencyValue:
    """One agency's approved value for a period: what a formula reads."""

    agency: str
    group: str = OTHER
    value: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    done: bool | None = None
    done_on: dt.date | None = None


@dataclass(frozen=True)
class GroupShare:
    """How many agencies of one group did it, out of how many required."""

    group: str
    done: int
    required: int

    @property
    def share(self) -> float | None:
        return 100.0 * self.done / self.required if self.required else None

    def text(self, lang: str = "vi") -> str:
        label = GROUP_LABELS.get(self.group, (self.group, self.group))[0 if lang == "vi" else 1]
        # The notices write counts under ten with a leading zero: "06/30 bộ, ngành".
        done = f"{self.done:02d}" if lang == "vi" else str(self.done)
        return f"{done}/{self.required} {label}"


@dataclass(frozen=True)
class Figure:
    """A computed figure: the value, the parts it was made of, and how many agencies it counts."""

    value: float | None
    numerator: float | None = None
    denominator: float | None = None
    shares: tuple[GroupShare, ...] = field(default_factory=tuple)
    agencies: int = 0

    def text(self, lang: str = "vi") -> str:
        """The share breakdown as the notices write it, e.g. "06/30 bộ, ngành; 29/63 địa phương"."""
        return "; ".join(s.text(lang) for s in self.shares)


def ratio_of(numerator: float | None, denominator: float | None, *, percent: bool) -> float | None:
    """numerator / denominator, × 100 for a share; None when the denominator is missing or zero."""
    if numerator is None or not denominator:
        return None
    return numerator / denominator * (100.0 if percent else 1.0)


@dataclass(frozen=True)
class Totals:
    """What sums, means and ratios are made of; a database can add these up as well as Python can."""

    values: int = 0  # agencies that gave a value
    total: float = 0.0  # Σ of their values
    pairs: int = 0  # agencies that gave a numerator and a denominator above zero
    numerator: float = 0.0  # Σ of those numerators
    denominator: float = 0.0  # Σ of those denominators


def totals(values: Iterable[AgencyValue]) -> Totals:
    """Add up the agencies' values, and the numerators and denominators of those that gave both."""
    values = list(values)
    numbers = [v.value for v in values if v.value is not None]
    pairs = [
        (v.numerator, v.denominator)
        for v in values
        if v.numerator is not None and v.denominator is not None and v.denominator > 0
    ]
    return Totals(len(numbers), sum(numbers), len(pairs), sum(n for n, _ in pairs), sum(d for _, d in pairs))


def from_totals(formula: str, t: Totals, *, unit: str = "") -> Figure:
    """A ratio (Σ numerators / Σ denominators), sum or mean from the totals."""
    if formula == RATIO:
        if not t.pairs:
            return Figure(None)
        value = ratio_of(t.numerator, t.denominator, percent=is_percent(unit))
        return Figure(value, t.numerator, t.denominator, agencies=t.pairs)
    if formula == SUM:
        return Figure(t.total if t.values else None, agencies=t.values)
    if formula == MEAN:
        return Figure(t.total / t.values if t.values else None, agencies=t.values)
    raise ValueError(f"Not a formula of totals: {formula!r}")


def ratio(values: Iterable[AgencyValue], *, percent: bool) -> Figure:
    """Σ numerators / Σ denominators over the agencies that gave both (not the mean of their ratios)."""
    return from_totals(RATIO, totals(values), unit="%" if percent else "")


def total(values: Iterable[AgencyValue]) -> Figure:
    """Σ of the agencies' values."""
    return from_totals(SUM, totals(values))


def mean(values: Iterable[AgencyValue]) -> Figure:
    """Arithmetic mean of the agencies' values (each agency counts once, whatever its size)."""
    return from_totals(MEAN, totals(values))


def did_it(value: AgencyValue, by: dt.date | None = None) -> bool:
    """An agency did it: it said yes, or gave the date it did it; on or before `by` when given."""
    if by is not None and value.done_on is not None:
        return value.done_on <= by
    return bool(value.done) or value.done_on is not None


def share_breakdown(counts: Mapping[str, tuple[int, int]]) -> Figure:
    """The figure for per-group (done, required) counts, e.g. {"central": (6, 30), "province": (29, 63)}."""
    for group, (done, required) in counts.items():
        if done < 0 or required < 0 or done > required:
            raise ValueError(f"{group}: {done} done of {required} required is not a count of agencies")
    order = {g: i for i, g in enumerate(GROUP_ORDER)}
    shares = tuple(
        GroupShare(group, done, required)
        for group, (done, required) in sorted(counts.items(), key=lambda kv: (order.get(kv[0], 99), kv[0]))
        if required
    )
    done = sum(s.done for s in shares)
    required = sum(s.required for s in shares)
    return Figure(ratio_of(done, required, percent=True), done, required, shares, agencies=required)


def share_of_agencies(
    values: Iterable[AgencyValue], required: Mapping[str, Iterable[str]], by: dt.date | None = None
) -> Figure:
    """Count the required agencies, per group, that did it; agencies not required are not counted.

    Args:
        values: the agencies' approved yes/no (or date) reports.
        required: group → codes of the agencies that must do it; one that did not report did not do it.
        by: a deadline; a date reported after it does not count.
    """
    done_codes = {v.agency for v in values if did_it(v, by)}
    counts = {}
    for group, codes in required.items():
        codes = set(codes)
        counts[group] = (len(codes & done_codes), len(codes))
    return share_breakdown(counts)


def national(
    formula: str,
    values: Iterable[AgencyValue],
    *,
    unit: str = "",
    required: Mapping[str, Iterable[str]] | None = None,
    by: dt.date | None = None,
) -> Figure:
    """The figure for a formula from the agencies' values; "value" takes the one value given."""
    values = list(values)
    if formula in (RATIO, SUM, MEAN):
        return from_totals(formula, totals(values), unit=unit)
    if formula == SHARE_OF_AGENCIES:
        if required is None:
            required = {}
            for v in values:
                required.setdefault(v.group, []).append(v.agency)
        return share_of_agencies(values, required, by)
    if formula in (VALUE, COMPUTED):
        given = [v for v in values if v.value is not None]
        if len(given) > 1:
            raise ValueError(f"A {formula!r} figure is one value, not {len(given)}")
        return Figure(given[0].value if given else None, agencies=len(given))
    raise ValueError(f"Unknown formula {formula!r}")
