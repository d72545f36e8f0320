"""The entry rules for an indicator value. No Django here: rules return message codes and parameters,
and the service layer renders them in the reader's language.

Each rule returns a list of `Problem`s (field, code, params). Errors block; a warning (a jump against
the previous period) blocks only until the person explains the value in a comment.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field

from dxmonitor.indicators.formulas import is_percent, ratio_of

# What an entry consists of.
VALUE, RATIO, DONE = "value", "ratio", "done"
KINDS = (VALUE, RATIO, DONE)

# A jump worth a second look: more than 20 percentage points for a share, more than half for the rest.
JUMP_POINTS = 20.0
JUMP_RELATIVE = 0.5


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an entry: the field, a message code and the numbers the message needs."""

    field: str
    code: str
    params: dict = field(default_factory=dict, hash=False, compare=True)
    warning: bool = False


@dataclass(frozen=True)
class Entry:
    """What a person (or a system) entered for one indicator, agency and period."""

    value: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    done: bool | None = None
    done_on: dt.date | None = None
    comment: str = ""


@dataclass(frozen=True)
class Rules:
    """How an indicator's entries are checked: what is entered, its unit and its bounds."""

    kind: str = VALUE
    unit: str = ""
    min_value: float | None = None
    max_value: float | None = None
    jump_points: float = JUMP_POINTS
    jump_relative: float = JUMP_RELATIVE

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"Entry kind must be one of {', '.join(KINDS)}, not {self.kind!r}")

    @property
    def bounds(self) -> tuple[float | None, float | None]:
        """(min, max) of a value: 0–100 for a share, ≥ 0 for the rest; the definition's own override."""
        low, high = 0.0, (100.0 if is_percent(self.unit) else None)
        return (
            self.min_value if self.min_value is not None else low,
            self.max_value if self.max_value is not None else high,
        )


def entry_value(entry: Entry, rules: Rules) -> float | None:
    """The value an entry stands for: as typed, or its numerator over its denominator."""
    if rules.kind == RATIO:
        return ratio_of(entry.numerator, entry.denominator, percent=is_percent(rules.unit))
    return entry.value


def check_numbers(entry: Entry) -> list[Problem]:
    """Numbers are finite (no NaN or infinity from a machine)."""
    return [
        Problem(name, "not_a_number", {"text": str(number)})
        for name in ("value", "numerator", "denominator")
        if (number := getattr(entry, name)) is not None and not math.isfinite(number)
    ]


def check_required(entry: Entry, rules: Rules) -> list[Problem]:
    """A value; or a numerator and a denominator; or whether (and when) the agency did it."""
    if rules.kind == RATIO:
        return [
            Problem(name, "required", {})
            for name in ("numerator", "denominator")
            if getattr(entry, name) is None
        ]
    if rules.kind == DONE:
        if entry.done is None and entry.done_on is None:
            return [Problem("done", "required_done", {})]
        if entry.done is False and entry.done_on is not None:
            return [Problem("done_on", "date_without_done", {"date": entry.done_on})]
        return []
    return [Problem("value", "required", {})] if entry.value is None else []


def check_range(entry: Entry, rules: Rules) -> list[Problem]:
    """A share (%) is 0–100, a count is not negative; the definition's min and max override."""
    problems = []
    if rules.kind == VALUE and entry.value is not None and math.isfinite(entry.value):
        low, high = rules.bounds
        if low is not None and entry.value < low:
            problems.append(
                Problem("value", "below_min", {"value": entry.value, "limit": low, "unit": rules.unit})
            )
        if high is not None and entry.value > high:
            problems.append(
                Problem("value", "above_max", {"value": entry.value, "limit": high, "unit": rules.unit})
            )
    if rules.kind == RATIO:
        for name in ("numerator", "denominator"):
            number = getattr(entry, name)
            if number is not None and number < 0:
                problems.append(Problem(name, "negative", {"value": number}))
        value = entry_value(entry, rules)
        low, high = rules.bounds
        # A share made of counts is within 0–100 by the numerator ≤ denominator rule; other bounds still apply.
        if value is not None and not problems and not is_percent(rules.unit):
            if low is not None and value < low:
                problems.append(
                    Problem("numerator", "below_min", {"value": value, "limit": low, "unit": rules.unit})
                )
            if high is not None and value > high:
                problems.append(
                    Problem("numerator", "above_max", {"value": value, "limit": high, "unit": rules.unit})
                )
    return problems


def check_ratio(entry: Entry, rules: Rules) -> list[Problem]:
    """The denominator is above zero and the numerator does not exceed it."""
    if rules.kind != RATIO or entry.numerator is None or entry.denominator is None:
        return []
    if entry.denominator <= 0:
        return [Problem("denominator", "denominator_not_positive", {"value": entry.denominator})]
    if entry.numerator > entry.denominator:
        return [
            Problem(
                "numerator",
                "numerator_above_denominator",
                {"numerator": entry.numerator, "denominator": entry.denominator},
            )
        ]
    return []


def check_date(entry: Entry, today: dt.date) -> list[Problem]:
    """A date something was done is not in the future."""
    if entry.done_on is not None and entry.done_on > today:
        return [Problem("done_on", "future_date", {"date": entry.done_on, "today": today})]
    return []


def check_jump(entry: Entry, rules: Rules, previous: float | None) -> list[Problem]:
    """A warning when the value moved further than the set size since the previous period."""
    value = entry_value(entry, rules)
    if value is None or previous is None or not math.isfinite(value):
        return []
    change = value - previous
    if is_percent(rules.unit):
        if abs(change) <= rules.jump_points:
            return []
        params = {"previous": previous, "value": value, "change": change, "limit": rules.jump_points}
        return [Problem("comment", "jump_points", params, warning=True)]
    # From zero any change is infinite; a first non-zero count is not a jump worth a comment.
    if previous == 0 or abs(change) / abs(previous) <= rules.jump_relative:
        return []
    params = {
        "previous": previous,
        "value": value,
        "change": 100.0 * change / abs(previous),
        "limit": 100.0 * rules.jump_relative,
    }
    return [Problem("comment", "jump_relative", params, warning=True)]


def validate(entry: Entry, rules: Rules, *, today: dt.date, previous: float | None = None) -> list[Problem]:
    """Every rule, errors first; warnings only when the entry has no error."""
    problems = check_numbers(entry)
    if problems:
        return problems
    problems = check_required(entry, rules) + check_range(entry, rules) + check_ratio(entry, rules)
    problems += check_date(entry, today)
    if problems:
        return problems
    return check_jump(entry, rules, previous)


def outstanding(problems: list[Problem], comment: str) -> list[Problem]:
    """The problems that block saving: every error, and the warnings nobody explained in a comment."""
    explained = bool((comment or "").strip())
    return [p for p in problems if not p.warning or not explained]


_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)*")


def parse_number(text) -> float | None:
    """A number as officers type it: "40,47", "40.47", "21.830.518", "1.234,5", "54,34 %".

    One comma is the decimal mark (Vietnamese writing); several dots or commas group thousands; with
    both, the last one is the decimal mark. Empty text is None; anything else raises ValueError.
    """
    if text is None:
        return None
    if isinstance(text, int | float) and not isinstance(text, bool):
        return float(text)
    raw = str(text).strip().replace("\u00a0", "").replace(" ", "").removesuffix("%")
    if not raw:
        return None
    if not _NUMBER.fullmatch(raw):
        raise ValueError(f"Not a number: {text!r}")
    sign = "-" if raw.startswith("-") else ""
    digits = raw.lstrip("+-")
    if "," in digits and "." in digits:
        decimal = "," if digits.rfind(",") > digits.rfind(".") else "."
        grouping = "." if decimal == "," else ","
        digits = digits.replace(grouping, "").replace(decimal, ".")
    elif digits.count(",") == 1:
        digits = digits.replace(",", ".")
    elif digits.count(",") > 1 or digits.count(".") > 1:
        digits = digits.replace(",", "").replace(".", "")
    return float(sign + digits)
