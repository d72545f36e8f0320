"""One Vega-Lite spec per indicator chart: drawn in the browser (the vega bundle) and as SVG for reports.

No Django here: the caller passes the series rows (`figures.indicator_series`) and the labels in the
reader's language, so the same spec renders the page's interactive chart and the report's picture.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
VALUE_COLOUR = "#1f5fa8"
TARGET_COLOUR = "#c2571a"


def _label(row: Mapping) -> str:
    return row.get("text") or ("" if row.get("value") is None else f"{row['value']:g}")


def series_spec(
    rows: Iterable[Mapping],
    *,
    labels: Mapping[str, str],
    unit: str = "",
    width: int | str = "container",
    height: int = 260,
) -> dict:
    """The national value per period as a line, the target per period as a dashed line with diamonds.

    Args:
        rows: dicts with period, value, target, status and optional period_label, text, source, note,
            target_text; drawn in the order given.
        labels: the words shown, keyed: period, value, target, status, source, note, and one per
            status code (achieved, not_achieved, no_data) for the tooltip.
        unit: appended to the value axis title.
        width: pixels, or "container" to fill the page's column.
        height: pixels.

    Returns:
        A Vega-Lite v5 spec with its data inline.
    """
    values = []
    for row in rows:
        values.append(
            {
                "period": row.get("period_label") or row["period"],
                "value": row.get("value"),
                "target": row.get("target"),
                "label": _label(row),
                "target_text": row.get("target_text") or "",
                "status": labels.get(row.get("status") or "", row.get("status") or ""),
                "source": labels.get(row.get("source") or "", row.get("source") or ""),
                "note": row.get("note") or "",
            }
        )
    axis_title = f"{labels['value']} ({unit})" if unit else labels["value"]
    x = {
        "field": "period",
        "type": "ordinal",
        "title": labels["period"],
        "sort": [v["period"] for v in values],
        "axis": {"labelAngle": 0},
    }
    tooltip = [
        {"field": "period", "title": labels["period"]},
        {"field": "label", "title": labels["value"]},
        {"field": "target_text", "title": labels["target"]},
        {"field": "status", "title": labels["status"]},
        {"field": "source", "title": labels["source"]},
        {"field": "note", "title": labels["note"]},
    ]
    return {
        "$schema": SCHEMA,
        "width": width,
        "height": height,
        "data": {"values": values},
        "encoding": {"x": x},
        "layer": [
            {
                "transform": [{"filter": "datum.value != null"}],
                "mark": {"type": "line", "point": {"filled": True, "size": 60}, "color": VALUE_COLOUR},
                "encoding": {
                    "y": {"field": "value", "type": "quantitative", "title": axis_title},
                    "tooltip": tooltip,
                },
            },
            {
                "transform": [{"filter": "datum.target != null"}],
                "mark": {"type": "line", "strokeDash": [6, 4], "color": TARGET_COLOUR},
                "encoding": {"y": {"field": "target", "type": "quantitative"}, "tooltip": tooltip},
            },
            {
                "transform": [{"filter": "datum.target != null"}],
                "mark": {
                    "type": "point",
                    "shape": "diamond",
                    "filled": True,
                    "size": 50,
                    "color": TARGET_COLOUR,
                },
                "encoding": {"y": {"field": "target", "type": "quantitative"}, "tooltip": tooltip},
            },
        ],
        "config": {"font": "sans-serif", "view": {"stroke": None}},
    }
