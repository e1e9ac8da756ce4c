"""Helpers shared by API routes: JSON bodies, schema loading, pagination, documentation."""

import re
from collections.abc import Callable

from flask import current_app, request
from marshmallow import Schema, ValidationError, fields
from werkzeug.exceptions import BadRequest

from trainer.errors import DomainError
from trainer.web.converters import DB_INT_MAX
from trainer.web.security import untypable_message

# A JSON body can only carry untypable text as an escape (\u0000 to \u001f, \ud800 to
# \udfff) or as raw bytes: without either, the walk through every value is skipped.
MAYBE_UNTYPABLE = re.compile(rb"\x00|\\u(?:00[01]|d[89a-f])", re.IGNORECASE)


LONG_TEXT = 20_000  # a session's notes
SHORT_TEXT = 5_000  # a comment, a flag's text


def json_body() -> object:
    """The parsed JSON body; malformed or too deeply nested JSON is a 400 (handled as the
    error object); text no person types (see web.security) is a 422."""
    try:
        data = request.get_json(force=True, silent=True, cache=True)
    except RecursionError as exc:  # nesting past the parser's stack: not a body we take
        raise BadRequest("Malformed JSON in the request body.") from exc
    raw = request.get_data(cache=True)
    if data is None and raw.strip() not in (b"", b"null"):
        raise BadRequest("Malformed JSON in the request body.")
    if MAYBE_UNTYPABLE.search(raw):
        message = untypable_message(data)
        if message:
            raise DomainError(message, field="_schema")
    return data if data is not None else {}


def flatten_errors(messages, prefix: str = "") -> dict[str, list[str]]:
    """Marshmallow's nested messages as {"field.path": [messages]}."""
    flat: dict[str, list[str]] = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            flat.update(flatten_errors(value, path))
    elif isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        flat[prefix or "_schema"] = list(messages)
    else:
        flat[prefix or "_schema"] = [str(messages)]
    return flat


def load(schema: Schema) -> dict:
    """Load and validate the JSON body with the schema; a DomainError (422) when invalid."""
    data = json_body()
    if not isinstance(data, dict):
        raise DomainError("The body must be a JSON object.", field="_schema")
    try:
        return schema.load(data)
    except ValidationError as exc:
        fields = flatten_errors(exc.messages)
        raise DomainError("Some fields are missing or invalid.", fields=fields) from exc


def pagination() -> tuple[int, int]:
    """`page` and `per_page` from the query string (per_page capped at the maximum)."""
    try:
        page = int(request.args.get("page", 1))
        per_page = int(request.args.get("per_page", 50))
    except ValueError as exc:
        raise DomainError("page and per_page must be integers.", field="page") from exc
    if page < 1 or per_page < 1:
        raise DomainError("page and per_page start at 1.", field="page")
    if page > DB_INT_MAX:
        raise DomainError("There are not that many pages.", field="page")
    return page, min(per_page, current_app.config["API_MAX_PER_PAGE"])


def page_of(query_rows: list, total: int, page: int, per_page: int) -> dict:
    """The spec's list envelope."""
    return {"items": query_rows, "page": page, "per_page": per_page, "total": total}


def documented(summary: str, *, body: type[Schema] | None = None,
               responses: dict[int, type[Schema] | str] | None = None,
               params: list[dict] | None = None,
               media: dict[int, dict[str, dict]] | None = None) -> Callable:
    """Attach OpenAPI metadata to a route; openapi.py reads it. `media` adds other media
    types a status may answer with (e.g. {200: {"text/csv": {"type": "string"}}})."""

    def decorator(view: Callable) -> Callable:
        view.openapi = {"summary": summary, "body": body, "responses": responses or {},
                        "params": params or [], "media": media or {}}
        return view

    return decorator


def projector(schema: Schema) -> Callable[[dict], dict]:
    """A fast stand-in for schema.dump on dicts whose values already have the declared
    types: it keeps exactly the declared fields (nested schemas and lists of them
    included) and converts nothing. For hot paths; the schema stays the contract."""
    plan = []
    for name, field in schema.fields.items():
        inner = field.inner if isinstance(field, fields.List) else None
        nested = inner if isinstance(inner, fields.Nested) else field
        part = projector(nested.schema) if isinstance(nested, fields.Nested) else None
        plan.append((name, part, inner is not None))

    def project(value: dict) -> dict:
        out = {}
        for name, part, many in plan:
            if name not in value:
                continue
            item = value[name]
            if part is not None and item is not None:
                item = [part(x) for x in item] if many else part(item)
            out[name] = item
        return out

    return project
