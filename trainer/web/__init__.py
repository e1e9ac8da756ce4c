"""Cross-cutting HTTP glue: security headers, error pages, the role context, templates."""

from flask import Blueprint, Flask

from trainer.content.markdown import render as render_markdown
from trainer.web.context import inject_context
from trainer.web.errors import register_error_handlers
from trainer.web.security import add_security_headers, make_nonce

# A blueprint without routes: it carries the base templates and the static assets.
bp = Blueprint("web", __name__, template_folder="templates", static_folder="static",
               static_url_path="/static")


def init_web(app: Flask) -> None:
    """Register the web glue on the app."""
    app.register_blueprint(bp)
    app.before_request(make_nonce)
    app.after_request(add_security_headers)
    app.context_processor(inject_context)
    app.add_template_filter(render_markdown, "markdown")
    register_error_handlers(app)
