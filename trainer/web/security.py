"""Security headers on every response, with a per-request nonce for scripts; and text no
database can store (a NUL character) refused before any view sees it."""

import secrets

from flask import abort, g, request

from trainer.errors import DomainError

NUL = "\x00"


def make_nonce() -> None:
    """A fresh CSP nonce for this request's <script> tags."""
    g.csp_nonce = secrets.token_urlsafe(16)


def add_security_headers(response):
    """CSP without inline script, no sniffing, no framing, a strict referrer policy."""
    nonce = g.get("csp_nonce", "")
    response.headers["Content-Security-Policy"] = "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            # plotly.js adds its own <style> element at run time; scripts stay strict.
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "media-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if request.blueprint != "web" and "Cache-Control" not in response.headers:
        # Pages show personal training records: keep them out of shared caches.
        response.headers["Cache-Control"] = "private, no-store"
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
