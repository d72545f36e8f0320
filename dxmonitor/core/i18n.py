"""Messages for machines and logs in both languages: Vietnamese first, English beside it."""

from django.utils import translation


def both(message) -> dict[str, str]:
    """A lazy translatable message rendered as {"detail": Vietnamese, "detail_en": English}."""
    with translation.override("vi"):
        vi = str(message)
    with translation.override("en"):
        en = str(message)
    return {"detail": vi, "detail_en": en}


def both_text(message) -> str:
    """The same message as one line: "Vietnamese / English" (for the CLI and error pages)."""
    pair = both(message)
    return (
        pair["detail"] if pair["detail"] == pair["detail_en"] else f"{pair['detail']} / {pair['detail_en']}"
    )


def number(value: float, lang: str | None = None) -> str:
    """A number as the reader writes it, at most two decimals: 90.637 and 40,47 in Vietnamese (the
    notices' "21.830.518"), 90,637 and 40.47 in English; lang defaults to the active language."""
    text = f"{float(value):,.2f}".rstrip("0").rstrip(".")
    if (lang or translation.get_language()) == "vi":
        text = text.replace(",", " ").replace(".", ",").replace(" ", ".")
    return text
