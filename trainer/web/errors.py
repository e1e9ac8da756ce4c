"""Error handlers: JSON error objects under /api/, friendly pages elsewhere."""

import logging

from flask import Flask, current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from trainer.errors import DomainError
from trainer.extensions import db

log = logging.getLogger(__name__)

ERROR_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    416: "range_not_satisfiable",
    422: "invalid",
    429: "rate_limited",
    500: "server_error",
}
MESSAGES = {
    400: "The request could not be understood.",
    401: "Sign in or send a valid bearer token.",
    403: "You are not allowed to do this.",
    404: "Not found.",
    405: "This method is not allowed here.",
    413: "The request is too large.",
    429: "Too many attempts; wait a little and try again.",
    500: "Something went wrong on our side; it has been logged.",
}


def wants_json() -> bool:
    """API paths answer in JSON."""
    return request.path.startswith("/api/")


def error_response(status: int, message: str | None = None, *, code: str | None = None,
                   fields: dict | None = None, extra: dict | None = None):
    """The spec's error object, with the status."""
    body = {"code": code or ERROR_CODES.get(status, "error"),
            "message": message or MESSAGES.get(status, "Error.")}
    if fields:
        body["fields"] = fields
    body.update(extra or {})
    return jsonify({"error": body}), status


def _handle_http(exc: HTTPException):
    status = exc.code or 500
    if wants_json():
        message = MESSAGES.get(status) if status != 400 else (
            "Malformed JSON in the request body." if request.is_json else MESSAGES[400]
        )
        if status == 400 and getattr(exc, "description", "").startswith("The CSRF"):
            message = exc.description
        response, status = error_response(status, message)
        if status == 405 and hasattr(exc, "valid_methods") and exc.valid_methods:
            response.headers["Allow"] = ", ".join(exc.valid_methods)
        return response, status
    template = f"errors/{status}.html" if status in (400, 403, 404, 429) else "errors/generic.html"
    return render_template(template, status=status, description=exc.description), status


def _handle_domain(exc: DomainError):
    if wants_json():
        return error_response(exc.status, exc.message, code=exc.code, fields=exc.fields,
                              extra=exc.extra)
    return render_template("errors/generic.html", status=exc.status,
                           description=exc.message), exc.status


def _handle_unexpected(exc: Exception):
    if current_app.config.get("RAISE_UNEXPECTED"):
        raise exc  # tests see the real traceback
    log.exception("Unhandled error on %s %s", request.method, request.path)
    db.session.rollback()  # a failed flush leaves the session unusable for the error page
    if wants_json():
        return error_response(500)
    return render_template("errors/500.html", status=500), 500


def register_error_handlers(app: Flask) -> None:
    """Install the handlers on the app (blueprint handlers miss unmatched routes)."""
    app.register_error_handler(HTTPException, _handle_http)
    app.register_error_handler(DomainError, _handle_domain)
    app.register_error_handler(InternalServerError, _handle_unexpected)
    app.register_error_handler(Exception, _handle_unexpected)
