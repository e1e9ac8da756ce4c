"""Figure builders: plain data in, a Plotly figure dict out; every chart has a table too."""

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
