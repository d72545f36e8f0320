"""Template filters for indicator pages: periods, numbers and states in the reader's language."""

from decimal import Decimal

from django import template
from django.utils import formats, translation

from dxmonitor.core.periods import Period

register = template.Library()


@register.filter
def period(code: str) -> str:
    """ "2026-Q3" as "Quý III/2026" (or "Q3 2026" in English); unknown codes unchanged."""
    try:
        parsed = Period.parse(code)
    except (ValueError, TypeError):
        return code
    return parsed.label_vi if translation.get_language() == "vi" else parsed.label_en


@register.filter
def num(value) -> str:
    """A number as the reader writes it: 40,47 and 1.250 in Vietnamese; at most two decimals."""
    if value is None or value == "":
        return "—"
    text = f"{float(value):.2f}".rstrip("0").rstrip(".")
    return formats.number_format(Decimal(text), use_l10n=True, force_grouping=True)
