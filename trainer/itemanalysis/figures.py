"""The item analysis chart: facility against discrimination, with the flag thresholds."""

from trainer.charts.figures import LAYOUT, label

THRESHOLDS = [("x", 0.20), ("x", 0.95), ("y", 0.15)]  # hard below, easy above; low discrimination


def facility_discrimination(items: list[dict]) -> dict | None:
    """One point per item that has both figures (the table beside it lists every item)."""
    points = [i for i in items if i["facility"] is not None and i["discrimination"] is not None]
    if not points:
        return None
    lowest = min(i["discrimination"] for i in points)  # a correlation can be negative
    # flagged items differ in shape as well as colour (the table names their flags)
    marker = {"size": 11, "color": ["#a4161a" if _flagged(i) else "#0b5cad" for i in points],
              "symbol": ["diamond" if _flagged(i) else "circle" for i in points]}
    trace = {"type": "scatter", "mode": "markers+text", "x": [i["facility"] for i in points],
             "y": [i["discrimination"] for i in points], "text": [label(i["id"]) for i in points],
             "textposition": "top center", "marker": marker, "name": "Items",
             "hovertemplate": "%{text}: facility %{x}, discrimination %{y}<extra></extra>"}
    layout = {**LAYOUT, "height": 420, "showlegend": False, "shapes": _lines(),
              "xaxis": {"title": {"text": "Facility"}, "range": [-0.02, 1.02]},
              "yaxis": {"title": {"text": "Discrimination (item-rest correlation)"},
                        "range": [round(min(-0.2, lowest - 0.05), 2), 1.05]}}
    return {"data": [trace], "layout": layout}


def _flagged(item: dict) -> bool:
    return any(flag != "too-few" for flag in item["flags"])


def _lines() -> list[dict]:
    lines = []
    for axis, value in THRESHOLDS:
        line = {"type": "line", "line": {"dash": "dash", "color": "#6e7781", "width": 1}}
        if axis == "x":
            line.update(xref="x", x0=value, x1=value, yref="paper", y0=0, y1=1)
        else:
            line.update(xref="paper", x0=0, x1=1, yref="y", y0=value, y1=value)
        lines.append(line)
    return lines
