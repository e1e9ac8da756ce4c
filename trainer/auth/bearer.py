"""The bearer token of a request (the API, and the credential downloads that accept one)."""

from flask import request


def bearer_token() -> str | None:
    """The token from `Authorization: Bearer <token>`, if present."""
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()
