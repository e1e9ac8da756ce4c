"""API routes for curriculum modules and their knowledge checks."""

import secrets

from flask import abort, g
from marshmallow import Schema, fields

from trainer.api import bp
from trainer.api.auth import token_required
from trainer.api.common import documented, load
from trainer.content.markdown import render
from trainer.curriculum import queries, services
from trainer.curriculum.checks import (
    asked_questions,
    public_question,
    question_feedback,
    reveals_key,
)


class ModuleSummary(Schema):
    id = fields.String(attribute="module.key")
    version = fields.Integer(attribute="module.version")
    title = fields.String(attribute="module.title")
    minutes = fields.Integer(attribute="module.minutes")
    core = fields.Boolean(attribute="module.core")
    prerequisites = fields.List(fields.String(), attribute="module.data.prerequisites")
    status = fields.String(allow_none=True)


class ModuleList(Schema):
    items = fields.List(fields.Nested(ModuleSummary))


class QuestionOptionOut(Schema):
    id = fields.String()
    label = fields.String()


class QuestionOut(Schema):
    id = fields.String()
    prompt = fields.String()
    prompt_html = fields.String()
    kind = fields.String()
    options = fields.List(fields.Nested(QuestionOptionOut))


class SectionOut(Schema):
    title = fields.String()
    html = fields.String()


class ModuleDetail(Schema):
    id = fields.String()
    version = fields.Integer()
    title = fields.String()
    minutes = fields.Integer()
    core = fields.Boolean()
    prerequisites = fields.List(fields.String())
    objectives = fields.List(fields.String())
    status = fields.String(allow_none=True)
    sections = fields.List(fields.Nested(SectionOut))
    pass_mark = fields.Float()
    attempt_number = fields.Integer(metadata={"description": "the caller's next attempt, "
                                                             "whose draw `questions` is"})
    retake_at = fields.String(allow_none=True, metadata={
        "description": "after a failed attempt: when the check can be taken again"})
    questions = fields.List(fields.Nested(QuestionOut))


class CheckSubmission(Schema):
    answers = fields.Dict(keys=fields.String(), values=fields.Raw(), required=True)


class FeedbackOut(Schema):
    option = fields.String()
    label = fields.String()
    chosen = fields.Boolean()
    correct = fields.Boolean(metadata={"description": "only once the check is passed (or "
                                                      "when the module reveals always)"})
    text = fields.String()


class QuestionResultOut(Schema):
    id = fields.String()
    correct = fields.Boolean()
    feedback = fields.List(fields.Nested(FeedbackOut))


class CheckResultOut(Schema):
    attempt_id = fields.Integer()
    score = fields.Float()
    passed = fields.Boolean()
    revealed = fields.Boolean(metadata={"description": "whether the key and every option's "
                                                       "feedback are included"})
    questions = fields.List(fields.Nested(QuestionResultOut))


def trainee_membership(user):
    """The caller's first active trainee membership (the organisation the work belongs to)."""
    return next((m for m in user.memberships if m.active and m.role == "trainee"), None)


def _status_map(user) -> tuple[dict, object]:
    membership = trainee_membership(user)
    if membership is None:
        return {}, None
    return queries.progress_by_module(user.id, membership.organisation_id), membership


@bp.get("/modules")
@token_required
@documented("The module catalogue (status for trainees)", responses={200: ModuleList})
def list_modules():
    progress, membership = _status_map(g.api_user)
    items = [{"module": m, "status": (progress.get(m.key) or queries.Progress()).status
              if membership else None} for m in queries.latest_modules()]
    return ModuleList().dump({"items": items})


@bp.get("/modules/<module_id>")
@token_required
@documented("A module with rendered sections and its check's questions (no answers)",
            responses={200: ModuleDetail, 404: "Unknown module"})
def get_module(module_id: str):
    module = queries.module_by_key(module_id) or abort(404)
    progress, membership = _status_map(g.api_user)
    data = module.data
    org_id = membership.organisation_id if membership else 0
    number = services.next_check_number(g.api_user.id, org_id, module)
    presented = services.presentation(g.api_user.id, org_id, module, number)
    questions = [{**public_question(q, presented[q["id"]]), "prompt_html": str(render(q["prompt"]))}
                 for q in asked_questions(data["check"], list(presented))]
    ready = services.retake_at(g.api_user.id, org_id, module) if membership else None
    return ModuleDetail().dump({
        "id": module.key, "version": module.version, "title": module.title,
        "minutes": module.minutes, "core": module.core,
        "prerequisites": data["prerequisites"], "objectives": data["objectives"],
        "status": (progress.get(module.key) or queries.Progress()).status if membership else None,
        "sections": [{"title": s["title"], "html": str(render(s["body"]))}
                     for s in data["sections"]],
        "pass_mark": data["check"]["pass_mark"], "attempt_number": number,
        "retake_at": ready.isoformat() if ready else None, "questions": questions})


@bp.post("/modules/<module_id>/check")
@token_required
@documented("Submit a knowledge check (trainees): answers to the questions of the caller's "
            "next attempt (GET the module for its draw)", body=CheckSubmission,
            responses={201: CheckResultOut, 403: "Not a trainee, or prerequisites not passed",
                       404: "Unknown module", 409: "A failed check's cool-down is running",
                       422: "Unknown or missing question ids"})
def submit_module_check(module_id: str):
    module = queries.module_by_key(module_id) or abort(404)
    membership = trainee_membership(g.api_user)
    if membership is None:
        abort(403)
    body = load(CheckSubmission())
    attempt, _ = services.submit_check(g.api_user, membership.organisation_id, module,
                                       body["answers"], secrets.token_hex(16))
    return CheckResultOut().dump(_result(attempt, module)), 201


def _result(attempt, module) -> dict:
    """Per question: right or not and the chosen options' feedback; the key only once the
    module is passed (or the check reveals always)."""
    check = attempt.module.data["check"]  # the version it was taken on
    reveal = reveals_key(check, attempt.passed or queries.has_passed(
        attempt.user_id, attempt.organisation_id, attempt.module_key))
    orders = attempt.presented or {}
    return {"attempt_id": attempt.id, "score": attempt.score, "passed": attempt.passed,
            "revealed": reveal,
            "questions": [{"id": q["id"], "correct": attempt.results[q["id"]],
                           "feedback": question_feedback(q, attempt.answers[q["id"]],
                                                         orders.get(q["id"]), reveal)}
                          for q in asked_questions(check, list(attempt.answers))]}
