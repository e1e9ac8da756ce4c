"""The OpenAPI 3 document, generated from the routes' metadata and marshmallow schemas."""

import re

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import current_app, jsonify

from trainer.api import bp
from trainer.api.schemas import Error
from trainer.web.converters import DB_INT_MAX

_CONVERTER = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


def build_spec(app) -> dict:
    """Every documented /api/v1 route with its request and response schemas."""
    spec = APISpec(title="IPT Trainer API", version="1.0.0", openapi_version="3.0.3",
                   plugins=[MarshmallowPlugin()])
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    spec.components.schema("Error", schema=Error)
    paths: dict[str, dict] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        view = app.view_functions[rule.endpoint]
        meta = getattr(view, "openapi", None)
        if not rule.endpoint.startswith("api.") or meta is None:
            continue
        path = _CONVERTER.sub(r"{\1}", rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            paths.setdefault(path, {})[method.lower()] = _operation(view, meta, rule)
    for path, operations in paths.items():
        spec.path(path=path, operations=operations)
    return spec.to_dict()


def _operation(view, meta: dict, rule) -> dict:
    operation = {"summary": meta["summary"], "operationId": rule.endpoint,
                 "responses": {}, "parameters": list(meta["params"])}
    for name in sorted(rule.arguments):
        operation["parameters"].append({"name": name, "in": "path", "required": True,
                                        "schema": _path_schema(rule.rule, name)})
    if meta["body"] is not None:
        operation["requestBody"] = {
            "required": True, "content": {"application/json": {"schema": meta["body"]}}}
    for status, response in meta["responses"].items():
        if isinstance(response, str):
            entry = {"description": response}
            if status >= 400:
                entry["content"] = {"application/json": {"schema": "Error"}}
        else:
            entry = {"description": "OK",
                     "content": {"application/json": {"schema": response}}}
        for media_type, schema in meta.get("media", {}).get(status, {}).items():
            entry.setdefault("content", {})[media_type] = {"schema": schema}
        operation["responses"][str(status)] = entry
    if getattr(view, "token_required", False) or _wrapped_requires_token(view):
        operation["security"] = [{"bearer": []}]
        _error(operation, 401, "Missing or bad token")
    if meta["body"] is not None:
        _error(operation, 400, "Malformed JSON")
    # Any route: a NUL character in the query string (web/security.py), or in the body.
    _error(operation, 422, "Invalid content")
    if rule.arguments:
        _error(operation, 404, "Not found")  # also any id the caller may not see
    return operation


def _error(operation: dict, status: int, description: str) -> None:
    """Document an error answer every operation of this shape can give (unless it is)."""
    operation["responses"].setdefault(str(status), {
        "description": description, "content": {"application/json": {"schema": "Error"}}})


def _path_schema(rule: str, name: str) -> dict:
    """`<int:...>` takes 0..DB_INT_MAX (web/converters.py: anything else is a 404); others
    text."""
    if f"<int:{name}>" in rule:
        return {"type": "integer", "minimum": 0, "maximum": DB_INT_MAX}
    return {"type": "string"}


def _wrapped_requires_token(view) -> bool:
    while view is not None:
        if getattr(view, "token_required", False):
            return True
        view = getattr(view, "__wrapped__", None)
    return False


@bp.get("/openapi.json")
def openapi_document():
    return jsonify(build_spec(current_app))
