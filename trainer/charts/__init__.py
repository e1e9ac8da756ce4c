"""Chart figures as plain dicts for plotly.js (no plotly.graph_objects on the hot path)."""
