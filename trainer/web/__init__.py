"""Cross-cutting HTTP glue: security headers, error pages, the role context, templates."""

from pathlib import Path

import plotly
from flask import Blueprint, Flask, send_file

from trainer.content.markdown import render as render_markdown
from trainer.web.context import inject_context
from trainer.web.converters import IdConverter
from trainer.web.errors import register_error_handlers
from trainer.web.security import (
    add_security_headers,
    cap_request_body,
    make_nonce,
    refuse_nul_characters,
)
from trainer.web.transaction import init_transaction

PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"

# The web blueprint carries the base templates, the static assets and plotly.js.
bp = Blueprint("web", __name__, template_folder="templates", static_folder="static",
               static_url_path="/static")


@bp.route("/static/vendor/plotly.min.js")
def plotly_js():
    """plotly.js from the installed plotly package (no CDN: closed networks must work)."""
    response = send_file(PLOTLY_JS, mimetype="text/javascript", max_age=86400,
                         conditional=True)
    return response


def init_web(app: Flask) -> None:
    """Register the web glue on the app (before the feature blueprints add their routes)."""
    app.url_map.converters["int"] = IdConverter
    app.register_blueprint(bp)
    app.before_request(make_nonce)
    app.before_request(cap_request_body)
    app.before_request(refuse_nul_characters)
    app.after_request(add_security_headers)
    app.context_processor(inject_context)
    app.add_template_filter(render_markdown, "markdown")
    register_error_handlers(app)
    init_transaction(app)
