"""Indicator operations."""

from dxmonitor.agencies.matching import normalize
from dxmonitor.indicators.models import Indicator

_GROUPS = {
    "du lieu so": Indicator.Group.DIGITAL_DATA,
    "chinh phu so": Indicator.Group.DIGITAL_GOVERNMENT,
    "kinh te so": Indicator.Group.DIGITAL_ECONOMY,
    "xa hoi so": Indicator.Group.DIGITAL_SOCIETY,
    "an toan an ninh mang": Indicator.Group.CYBERSECURITY,
    "an toan thong tin mang": Indicator.Group.CYBERSECURITY,
    "an ninh mang": Indicator.Group.CYBERSECURITY,
    "de an 06": Indicator.Group.PROJECT_06,
}


def group_from_text(text: str) -> str:
    """The catalogue group of a heading such as "I. Dữ liệu số" or "Nhóm chỉ tiêu Chính phủ số"."""
    key = normalize(text)
    for words, group in _GROUPS.items():
        if words in key:
            return group
    return Indicator.Group.OTHER


def find_indicator(name: str) -> Indicator | None:
    """The catalogue's indicator with this name, however it is spaced, cased or marked."""
    key = normalize(name)
    for indicator in Indicator.objects.only("id", "name"):
        if normalize(indicator.name) == key:
            return indicator
    return None
