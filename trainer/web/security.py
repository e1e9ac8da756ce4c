"""Security headers on every response, with a per-request nonce for scripts; and text no
database can store (a NUL character) refused before any view sees it."""

import re
import secrets

from flask import abort, current_app, g, request

from trainer.errors import DomainError

NUL = "\x00"
# C0 controls other than tab, line feed and carriage return, and lone UTF-16 surrogates
# (which no encoder writes and no database stores): never text a person meant to type.
UNTYPABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")


def make_nonce() -> None:
    """A fresh CSP nonce for this request's <script> tags."""
    g.csp_nonce = secrets.token_urlsafe(16)


STATIC_HEADERS = [("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "DENY"),
                  ("Referrer-Policy", "same-origin"),
                  ("Cross-Origin-Opener-Policy", "same-origin")]
CSP_BEFORE_NONCE = "default-src 'self'; script-src 'self' 'nonce-"
CSP_AFTER_NONCE = "; ".join([
    "'",
    # plotly.js adds its own <style> element at run time; scripts stay strict.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "media-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


def add_security_headers(response):
    """CSP without inline script, no sniffing, no framing, a strict referrer policy."""
    headers = response.headers
    headers["Content-Security-Policy"] = (
        f"{CSP_BEFORE_NONCE}{g.get('csp_nonce', '')}{CSP_AFTER_NONCE}")
    for name, value in STATIC_HEADERS:
        headers[name] = value
    if request.blueprint != "web" and "Cache-Control" not in headers:
        # Pages show personal training records: keep them out of shared caches.
        headers["Cache-Control"] = "private, no-store"
    return response


def untypable_message(value) -> str | None:
    """Why a string, or any key or value inside lists and dicts, cannot be stored as text
    (a NUL, another control character, a lone surrogate); None when it can."""
    if isinstance(value, str):
        found = UNTYPABLE.search(value)
        if found is None:
            return None
        if found.group() == NUL:
            return "Text may not contain NUL characters."
        if found.group() >= "\ud800":
            return "Text may not hold an unpaired surrogate (it is not valid Unicode)."
        return "Text may not contain control characters other than tab and line breaks."
    if isinstance(value, dict):
        return next((m for k, v in value.items()
                     if (m := untypable_message(k) or untypable_message(v))), None)
    if isinstance(value, list | tuple):
        return next((m for item in value if (m := untypable_message(item))), None)
    return None


def refuse_nul_characters() -> None:
    """Text no database stores, or no person types (NUL, the other C0 controls but tab and
    line breaks, lone surrogates): 404 for one in the path; 422 with the error object for
    one in an API query string; 400 for one in a page's query string or form field. (The
    API's JSON bodies are checked where they are parsed, and its body is left unread here;
    uploaded files are bytes and are not looked at.)"""
    if UNTYPABLE.search(request.path):
        abort(404)
    if request.path.startswith("/api/"):
        message = untypable_message(list(request.args.items(multi=True)))
        if message:
            raise DomainError(message, field="_schema")
        return
    values = list(request.args.items(multi=True))
    if request.mimetype in ("multipart/form-data", "application/x-www-form-urlencoded"):
        values += list(request.form.items(multi=True))
    message = untypable_message(values)
    if message:
        abort(400, description=message)


UPLOAD_ENDPOINTS = frozenset({"api.upload_recording", "cases.upload", "calibration.new",
                              "calibration.platform_new"})


def cap_request_body() -> None:
    """Only the recording uploads take the large cap (MAX_CONTENT_LENGTH); every other
    request's body stops at REQUEST_MAX_BYTES (1 MB): 413 with the error object or page,
    whether the length is declared or the body is streamed."""
    if request.endpoint in UPLOAD_ENDPOINTS:
        return
    cap = current_app.config["REQUEST_MAX_BYTES"]
    if request.content_length is not None and request.content_length > cap:
        abort(413)
    request.max_content_length = cap
