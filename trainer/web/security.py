"""Security headers on every response, with a per-request nonce for scripts."""

import secrets

from flask import g, request


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
