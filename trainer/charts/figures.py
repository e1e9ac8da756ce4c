"""Figure builders: plain data in, a Plotly figure dict out; every chart has a table too.

Plotly.js reads a small HTML dialect in every label and hover text (`<a href>`, `<b>`,
`<br>`) and decodes entities: each text that comes from people or content goes through
`label`, so a name shows as typed and never becomes a link."""

from html import escape

LAYOUT = {"margin": {"l": 50, "r": 20, "t": 30, "b": 50}, "font": {"size": 13},
          "paper_bgcolor": "#ffffff", "plot_bgcolor": "#ffffff", "height": 340}


def case_measures(sessions: list, rating_means: dict[int, float]) -> dict | None:
    """PHQ-9 and GAD-7 totals per session, with the mean of its ratings on a second axis."""
    numbers = [s.number for s in sessions]
    traces = []
    for name, attr, colour in (("PHQ-9", "phq9", "#a4161a"), ("GAD-7", "gad7", "#8a5300")):
        values = [getattr(s, attr) for s in sessions]
        if any(v is not None for v in values):
            traces.append({"type": "scatter", "mode": "lines+markers", "name": name,
                           "x": numbers, "y": values, "line": {"color": colour}})
    rated = [(s.number, rating_means[s.id]) for s in sessions if s.id in rating_means]
    if rated:
        traces.append({"type": "scatter", "mode": "markers", "name": "Rating mean",
                       "x": [n for n, _ in rated], "y": [m for _, m in rated], "yaxis": "y2",
                       "marker": {"size": 11, "symbol": "diamond", "color": "#0b5cad"}})
    if not traces:
        return None
    layout = {**LAYOUT, "xaxis": {"title": {"text": "Session"}, "dtick": 1},
              "yaxis": {"title": {"text": "Measure total"}, "rangemode": "tozero"},
              "yaxis2": {"title": {"text": "Rating mean"}, "overlaying": "y", "side": "right",
                         "range": [1, 5]},
              "legend": {"orientation": "h", "y": -0.25}}
    return {"data": traces, "layout": layout}


LEVEL_COLOURS = ["#d0d7de", "#f3c5c5", "#f6dca8", "#a9d9b5", "#5fae7a"]


def label(text) -> str:
    """Text as Plotly shows it literally: its markup characters as entities."""
    return escape(str(text), quote=False)


def _short(title: str, limit: int = 28) -> str:
    """A title cut to `limit` characters, escaped for Plotly (cut first: no half entity)."""
    return label(title if len(title) <= limit else title[: limit - 1] + "…")


def profile_bars(estimates: list, levels: list[dict]) -> dict | None:
    """Estimate per competency as bars, with the level thresholds as bands behind them."""
    if not any(e.estimate is not None for e in estimates):
        return None
    shapes = [{"type": "rect", "xref": "paper", "x0": 0, "x1": 1, "yref": "y",
               "y0": level["min"], "y1": levels[i + 1]["min"] if i + 1 < len(levels) else 1,
               "fillcolor": LEVEL_COLOURS[min(i + 1, 4)], "opacity": 0.35, "line": {"width": 0},
               "layer": "below"} for i, level in enumerate(levels)]
    bars = {"type": "bar", "x": [_short(e.title) for e in estimates],
            "y": [e.estimate or 0 for e in estimates], "marker": {"color": "#0b5cad"},
            "text": [f"level {e.level}" for e in estimates], "textposition": "outside",
            "hovertext": [label(e.title) for e in estimates]}
    layout = {**LAYOUT, "height": 380, "shapes": shapes, "showlegend": False,
              "yaxis": {"range": [0, 1.08], "title": {"text": "Estimate"}},
              "xaxis": {"tickangle": -30}, "margin": {**LAYOUT["margin"], "b": 120}}
    return {"data": [bars], "layout": layout}


def profile_history(history: list[tuple[object, list]]) -> dict | None:
    """One line per competency: its estimate after each day with new evidence."""
    if len(history) < 2:
        return None
    days = [day.isoformat() for day, _ in history]
    competencies = history[-1][1]
    traces = [{"type": "scatter", "mode": "lines+markers", "name": _short(c.title),
               "x": days, "y": [estimates[i].estimate for _, estimates in history]}
              for i, c in enumerate(competencies)]
    layout = {**LAYOUT, "yaxis": {"range": [0, 1], "title": {"text": "Estimate"}},
              "legend": {"orientation": "h", "y": -0.3}, "height": 420}
    return {"data": traces, "layout": layout}


def cohort_heatmap(names: list[str], titles: list[str], levels: list[list[int]],
                   top_level: int) -> dict | None:
    """Trainees by competencies, coloured by level (0 = not yet assessed)."""
    if not names:
        return None
    scale = [[i / top_level, LEVEL_COLOURS[min(i, 4)]] for i in range(top_level + 1)]
    heat = {"type": "heatmap", "z": levels, "x": [_short(t, 22) for t in titles],
            "y": [label(n) for n in names],
            "zmin": 0, "zmax": top_level, "colorscale": scale, "xgap": 2, "ygap": 2,
            "colorbar": {"title": {"text": "Level"}, "tickvals": list(range(top_level + 1))}}
    layout = {**LAYOUT, "height": max(300, 28 * len(names) + 140),
              "xaxis": {"side": "top", "tickangle": -30}, "yaxis": {"autorange": "reversed"},
              "margin": {"l": 160, "r": 20, "t": 120, "b": 20}}
    return {"data": [heat], "layout": layout}


def histogram(counts: dict[int, int], title: str, labels: list[str]) -> dict | None:
    """A distribution already counted per bucket (bucket index -> count)."""
    if not counts:
        return None
    values = [counts.get(index, 0) for index in range(len(labels))]
    return {"data": [{"type": "bar", "x": labels, "y": values,
                      "marker": {"color": "#0b5cad"}}],
            "layout": {**LAYOUT, "height": 280, "xaxis": {"title": {"text": title}},
                       "yaxis": {"title": {"text": "Count"}}, "bargap": 0.05}}


def rater_agreement(names: list[str], icc: list, within: list, icc_min: float,
                    within_min: float) -> dict | None:
    """Each supervisor's ICC(2,1) and share within one point, with the thresholds."""
    if not names or all(v is None for v in icc + within):
        return None
    names = [label(n) for n in names]
    bars = [{"type": "bar", "name": "ICC(2,1)", "x": names, "y": icc,
             "marker": {"color": "#0b5cad"}},
            {"type": "bar", "name": "Within one point", "x": names, "y": within,
             "marker": {"color": "#1d6b35"}}]
    lines = [{"type": "line", "xref": "paper", "x0": 0, "x1": 1, "y0": y, "y1": y,
              "line": {"dash": "dash", "color": colour}}
             for y, colour in ((icc_min, "#0b5cad"), (within_min, "#1d6b35"))]
    lowest = min([v for v in icc if v is not None] + [0])  # an ICC can be negative
    return {"data": bars, "layout": {**LAYOUT, "barmode": "group", "shapes": lines,
                                     "yaxis": {"range": [lowest - 0.05, 1.05]},
                                     "legend": {"orientation": "h", "y": -0.2}}}
