"""API routes for item analysis of module checks and vignettes (organisation and platform
admins); `Accept: text/csv` gives one row per item option."""

from flask import Response, abort, g, request
from marshmallow import Schema, fields

from trainer.api import bp
from trainer.api.auth import token_required
from trainer.api.common import documented
from trainer.itemanalysis import policy, queries
from trainer.itemanalysis.report import csv_text
from trainer.itemanalysis.schemas import parse_args


class OptionStatsOut(Schema):
    id = fields.String()
    keyed = fields.Boolean()
    chosen = fields.Integer()
    upper = fields.Integer(allow_none=True)
    lower = fields.Integer(allow_none=True)


class ItemStatsOut(Schema):
    id = fields.String()
    n = fields.Integer()
    facility = fields.Float(allow_none=True)
    discrimination = fields.Float(allow_none=True)
    upper_lower = fields.Float(allow_none=True)
    options = fields.List(fields.Nested(OptionStatsOut))
    flags = fields.List(fields.String())


class ItemAnalysisOut(Schema):
    kind = fields.String(metadata={"enum": ["check", "vignette"]})
    id = fields.String()
    version = fields.Integer()
    attempts = fields.String(metadata={"enum": ["first", "all"]})
    organisation = fields.String(allow_none=True, metadata={
        "description": "the slug of the organisation whose attempts these are; null: all"})
    n = fields.Integer()
    mean = fields.Float(allow_none=True)
    sd = fields.Float(allow_none=True)
    alpha = fields.Float(allow_none=True)
    items = fields.List(fields.Nested(ItemStatsOut))


PARAMS = [
    {"name": "attempts", "in": "query",
     "schema": {"type": "string", "enum": ["first", "all"], "default": "first"}},
    {"name": "version", "in": "query", "schema": {"type": "integer", "minimum": 0},
     "description": "default: the current version"},
    {"name": "organisation", "in": "query", "schema": {"type": "string"},
     "description": "an organisation's slug (platform admins; an organisation admin always "
                    "gets their own organisation's attempts)"},
]
RESPONSES = {200: ItemAnalysisOut, 403: "Not an organisation or platform admin",
             404: "Unknown module, vignette, version or (platform admins) organisation"}
CSV_MEDIA = {200: {"text/csv": {"type": "string",
                                 "description": "one row per item option"}}}
CSV_NOTE = "; with `Accept: text/csv`, the same figures as CSV, one row per item option"


def _organisation(slug: str | None):
    """Whose attempts the caller gets (None: every organisation's), as on the page."""
    user = g.api_user
    requested = queries.organisation_by_slug(slug) if slug else None
    if slug and requested is None and user.is_platform_admin:
        abort(404)
    organisation = policy.organisation_in_view(user, policy.first_administered(user),
                                               requested)
    if not policy.can_analyse(user, organisation):
        abort(403)
    return organisation


def _answer(kind: str, key: str):
    args = parse_args(request.args)
    organisation = _organisation(args["organisation"])
    row = queries.content(kind, key, args["version"]) or abort(404)
    body = queries.item_analysis(kind, row, organisation, args["attempts"])
    if request.accept_mimetypes.best_match(["application/json", "text/csv"]) == "text/csv":
        return Response(csv_text(body), mimetype="text/csv")
    return ItemAnalysisOut().dump(body)


@bp.get("/item-analysis/checks/<module_id>")
@token_required
@documented("Item analysis of a module's check: per question n, facility, discrimination, "
            "upper-lower index, option counts and flags" + CSV_NOTE,
            responses=RESPONSES, params=PARAMS, media=CSV_MEDIA)
def check_item_analysis(module_id: str):
    return _answer("check", module_id)


@bp.get("/item-analysis/vignettes/<vignette_id>")
@token_required
@documented("Item analysis of a vignette: per stage n, facility, discrimination, "
            "upper-lower index, option counts and flags" + CSV_NOTE,
            responses=RESPONSES, params=PARAMS, media=CSV_MEDIA)
def vignette_item_analysis(vignette_id: str):
    return _answer("vignette", vignette_id)
