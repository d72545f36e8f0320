"""Template filters for indicator pages: periods, numbers and states in the reader's language."""

from django import template
from django.utils import translation

from dxmonitor.core.i18n import number
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
    """A number as the reader writes it: 40,47 and 90.637 in Vietnamese, 40.47 and 90,637 in English;
    at most two decimals."""
    return "—" if value is None or value == "" else number(value)
