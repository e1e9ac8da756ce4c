"""API routes for a trainee's competency estimates and pathway eligibility."""

from flask import abort, g
from marshmallow import Schema, fields

from trainer.api import bp
from trainer.api.auth import token_required
from trainer.api.common import documented
from trainer.auth.models import User
from trainer.competency import queries
from trainer.competency.eligibility import evaluate
from trainer.curriculum.policy import can_view_progress
from trainer.extensions import db
from trainer.web.converters import db_int


class CompetencyOut(Schema):
    id = fields.String()
    title = fields.String()
    estimate = fields.Float(allow_none=True)
    level = fields.Integer()
    evidence_count = fields.Integer()


class CompetenciesOut(Schema):
    framework = fields.String(allow_none=True)
    competencies = fields.List(fields.Nested(CompetencyOut))


class RequirementOut(Schema):
    id = fields.String()
    met = fields.Boolean()
    detail = fields.String()


class EligibilityOut(Schema):
    pathway = fields.String()
    eligible = fields.Boolean()
    requirements = fields.List(fields.Nested(RequirementOut))


def trainee_in_view(user_ref: str) -> tuple[User, int]:
    """The trainee (`me` = the caller) and the organisation the caller may see them in."""
    caller = g.api_user
    try:
        target = caller if user_ref == "me" else db.session.get(User, db_int(user_ref))
    except ValueError:
        target = None
    if target is None:
        abort(404)
    for membership in target.memberships:
        if membership.active and membership.role == "trainee" and \
                can_view_progress(caller, target, membership.organisation_id):
            return target, membership.organisation_id
    abort(404)


@bp.get("/trainees/<user_ref>/competencies")
@token_required
@documented("A trainee's competency estimates (the trainee, supervisors, admins)",
            responses={200: CompetenciesOut, 404: "Not visible"})
def trainee_competencies(user_ref: str):
    trainee, org_id = trainee_in_view(user_ref)
    framework = queries.framework()
    estimates = queries.profiles([trainee.id], org_id).get(trainee.id, [])
    return CompetenciesOut().dump({"framework": framework["framework"] if framework else None,
                                   "competencies": estimates})


@bp.get("/trainees/<user_ref>/eligibility/<pathway_id>")
@token_required
@documented("A trainee's checklist for a pathway",
            responses={200: EligibilityOut, 404: "Not visible or unknown pathway"})
def trainee_eligibility(user_ref: str, pathway_id: str):
    trainee, org_id = trainee_in_view(user_ref)
    pathway = next((p for p in queries.pathways() if p.key == pathway_id), None)
    if pathway is None:
        abort(404)
    result = evaluate(pathway.data, queries.records([trainee.id], org_id)[trainee.id])
    return EligibilityOut().dump({"pathway": pathway.key, "eligible": result.eligible,
                                  "requirements": result.requirements})
