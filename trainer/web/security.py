"""Security headers on every response, with a per-request nonce for scripts; and text no
database can store (a NUL character) refused before any view sees it."""

import secrets

from flask import abort, g, request

from trainer.errors import DomainError

NUL = "\x00"


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


def holds_nul(value) -> bool:
    """Whether a string, or any key or value inside lists and dicts, has a NUL character."""
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(holds_nul(k) or holds_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(holds_nul(item) for item in value)
    return False


def refuse_nul_characters() -> None:
    """PostgreSQL text cannot hold NUL: 404 for one in the path; 422 with the error object
    for one in an API query string; 400 for one in a page's query string or form field. (The
    API's JSON bodies are checked where they are parsed, and its body is left unread here;
    uploaded files are bytes and are not looked at.)"""
    if NUL in request.path:
        abort(404)
    if request.path.startswith("/api/"):
        if holds_nul(list(request.args.items(multi=True))):
            raise DomainError("Text may not contain NUL characters.", field="_schema")
        return
    values = list(request.args.items(multi=True))
    if request.mimetype in ("multipart/form-data", "application/x-www-form-urlencoded"):
        values += list(request.form.items(multi=True))
    if holds_nul(values):
        abort(400)
