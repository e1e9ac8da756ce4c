"""A bare Flask app answering a fixed string: the ceiling the load benchmark divides by.

Served by gunicorn with the same settings as the real app (`gunicorn --chdir bench
bare_app:app`); every path and method answers, so the POST generator can be measured too.
"""

from flask import Flask

app = Flask(__name__)
BODY = "Hello from a bare Flask app.\n"


@app.route("/", defaults={"path": ""}, methods=["GET", "POST"])
@app.route("/<path:path>", methods=["GET", "POST"])
def fixed(path: str) -> tuple[str, int, dict]:
    """The same short text for any request."""
    return BODY, 200, {"Content-Type": "text/plain; charset=utf-8"}
