"""API routes for vignettes and attempts."""

from types import SimpleNamespace

from flask import abort, g, request
from marshmallow import Schema, fields

from trainer.api import bp
from trainer.api.auth import token_caller_required, token_required
from trainer.api.common import documented, load, projector
from trainer.api.modules import trainee_membership
from trainer.curriculum.policy import can_view_progress
from trainer.extensions import db
from trainer.orgs.policy import is_member
from trainer.vignettes import queries, services
from trainer.vignettes.models import VignetteAttempt
from trainer.vignettes.presenter import attempt_object, public_stage
from trainer.web.converters import db_int


class VignetteSummary(Schema):
    id = fields.String()
    version = fields.Integer()
    title = fields.String()
    summary = fields.String()
    population = fields.String()
    format = fields.String()
    condition = fields.String()
    variant = fields.String()
    difficulty = fields.Integer()
    best_score = fields.Float(allow_none=True)
    passed = fields.Boolean()
    problem_areas = fields.List(fields.String())


class VignetteList(Schema):
    items = fields.List(fields.Nested(VignetteSummary))


class StageOptionOut(Schema):
    id = fields.String()
    label = fields.String()


class StageOut(Schema):
    id = fields.String()
    title = fields.String()
    prompt = fields.String()
    kind = fields.String()
    max_choices = fields.Integer(allow_none=True)
    options = fields.List(fields.Nested(StageOptionOut))


class VignetteDetail(Schema):
    id = fields.String()
    version = fields.Integer()
    title = fields.String()
    case = fields.String()
    stages = fields.List(fields.Nested(StageOut))


class AttemptSubmission(Schema):
    answers = fields.Dict(keys=fields.String(), values=fields.Raw(), required=True)


class CriticalErrorOut(Schema):
    stage = fields.String()
    option = fields.String()
    kind = fields.String()


class OptionFeedbackOut(Schema):
    option = fields.String()
    points = fields.Integer()
    panel = fields.Integer()
    chosen = fields.Boolean()
    text = fields.String()


class StageResultOut(Schema):
    id = fields.String()
    panel_note = fields.String(metadata={"description": "panel stages: where the partial "
                                                        "credit comes from"})
    kind = fields.String()
    score = fields.Float(allow_none=True)
    selected = fields.List(fields.String())
    feedback = fields.List(fields.Nested(OptionFeedbackOut))
    expert_key = fields.List(fields.String())
    text = fields.String()
    level = fields.Integer(allow_none=True)
    model_answer = fields.String()


class AttemptOut(Schema):
    id = fields.Integer()
    vignette_id = fields.String()
    vignette_version = fields.Integer()
    submitted_at = fields.String()
    score = fields.Float(allow_none=True)
    provisional = fields.Boolean()
    status = fields.String()
    critical_errors = fields.List(fields.Nested(CriticalErrorOut))
    presented = fields.Dict(keys=fields.String(), values=fields.List(fields.String()),
                            metadata={"description": "stage id -> option ids in the order "
                                                     "they were shown"})
    stages = fields.List(fields.Nested(StageResultOut))


# Built once: a schema copies its fields when made, which costs more than the dump itself.
SUBMISSION, ATTEMPT_OUT = AttemptSubmission(), AttemptOut()
attempt_out = projector(ATTEMPT_OUT)  # the hot path's dump: see projector
FILTER_PARAMS = [{"name": name, "in": "query", "schema": {"type": "string"}}
                 for name in ("population", "format", "difficulty", "problem_area")]


@bp.get("/vignettes")
@token_required
@documented("The vignette catalogue with the caller's best score", responses={200: VignetteList},
            params=FILTER_PARAMS)
def list_vignettes():
    membership = trainee_membership(g.api_user)
    filters = {name: request.args.get(name, "").strip()
               for name in ("population", "format", "problem_area")}
    filters["difficulty"] = request.args.get("difficulty", type=db_int)
    user_id = g.api_user.id if membership else None
    org_id = membership.organisation_id if membership else 0
    rows = queries.catalogue(user_id, org_id, filters)
    return {"items": [_summary(row, membership is not None) for row in rows]}


def _summary(row, is_trainee: bool) -> dict:
    v = row.vignette
    item = {"id": v.key, "version": v.version, "title": v.title, "summary": v.data["summary"],
            "population": v.population, "format": v.format, "condition": v.condition,
            "variant": v.variant, "difficulty": v.difficulty, "best_score": row.best_score,
            "passed": row.passed}
    if row.attempted:
        item["problem_areas"] = v.data["problem_areas"]
    return item


@bp.get("/vignettes/<vignette_id>")
@token_required
@documented("A vignette's case and stages, without any rubric; options in the order of "
            "the caller's next attempt", responses={200: VignetteDetail, 404: "Unknown vignette"})
def get_vignette(vignette_id: str):
    vignette = queries.vignette_by_key(vignette_id) or abort(404)
    membership = trainee_membership(g.api_user)
    orders = services.next_presentation(g.api_user.id, membership.organisation_id
                                        if membership else 0, vignette)
    return VignetteDetail().dump({
        "id": vignette.key, "version": vignette.version, "title": vignette.title,
        "case": vignette.data["case"],
        "stages": [public_stage(stage, orders.get(stage["id"]))
                   for stage in vignette.data["stages"]]})


@bp.post("/vignettes/<vignette_id>/attempts")
@token_caller_required
@documented("Submit an attempt (trainees); a repeated Idempotency-Key returns the first",
            body=AttemptSubmission,
            responses={201: AttemptOut, 200: AttemptOut, 403: "Not a trainee",
                       404: "Unknown vignette", 422: "Bad answers"},
            params=[{"name": "Idempotency-Key", "in": "header", "schema": {"type": "string"}}])
def submit_attempt(vignette_id: str):
    """The hottest write (a cohort submitting at once): no ORM objects on the way in, one
    INSERT, and the answer built from what was stored."""
    caller = g.api_caller
    vignette = queries.vignette_ref(vignette_id, caller.content_version) or abort(404)
    organisation_id = caller.trainee_organisation_id
    if organisation_id is None:
        abort(403)
    key = request.headers.get("Idempotency-Key", "").strip()[:200] or None
    stored_key = f"api:{key}" if key else None
    if key and (first := services.attempt_by_key(caller.user_id, stored_key)):
        return ATTEMPT_OUT.dump(attempt_object(first)), 200
    body = load(SUBMISSION)
    presented = services.next_presentation(caller.user_id, organisation_id, vignette)
    values = services.attempt_values(caller.user_id, organisation_id, vignette,
                                     body["answers"], stored_key, presented)
    attempt_id = services.insert_attempt(values)
    if attempt_id is None:  # the same key, sent twice at once: the first one stands
        return ATTEMPT_OUT.dump(attempt_object(services.attempt_by_key(caller.user_id,
                                                                       stored_key))), 200
    # attempt_object's values already have AttemptOut's types (tests/api/
    # test_attempt_shape.py holds the answer to ATTEMPT_OUT.dump), so only the fields are kept.
    return attempt_out(attempt_object(SimpleNamespace(id=attempt_id, **values),
                                      vignette.data)), 201


@bp.get("/attempts/<int:attempt_id>")
@token_required
@documented("An attempt (the trainee, their supervisors, their organisation's admins)",
            responses={200: AttemptOut, 404: "Unknown or not visible"})
def get_attempt(attempt_id: int):
    attempt = db.session.get(VignetteAttempt, attempt_id)
    if attempt is None or not is_member(g.api_user, attempt.organisation_id) \
            or not can_view_progress(g.api_user, attempt.user, attempt.organisation_id):
        abort(404)
    return ATTEMPT_OUT.dump(attempt_object(attempt))
