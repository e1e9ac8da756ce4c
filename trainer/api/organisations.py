"""API routes for an organisation's people (admins)."""

from flask import Response, abort, current_app, g, request
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from trainer.api import bp
from trainer.api.auth import token_required
from trainer.api.common import documented, page_of, pagination
from trainer.api.schemas import MemberPage
from trainer.auth.models import User
from trainer.extensions import db
from trainer.orgs.models import Membership
from trainer.orgs.policy import can_manage_org, is_member
from trainer.orgs.services import find_organisation
from trainer.timeutil import utcnow


def admin_organisation(slug: str):
    """The organisation the caller administers: 404 unless a member, 403 unless an admin."""
    organisation = find_organisation(slug)
    if organisation is None or not is_member(g.api_user, organisation.id):
        abort(404)
    if not can_manage_org(g.api_user, organisation):
        abort(403)
    return organisation


@bp.get("/organisations/<slug>/members")
@token_required
@documented("The organisation's memberships, paginated (organisation admins)",
            responses={200: MemberPage, 403: "Not an admin", 404: "Unknown organisation"},
            params=[{"name": "page", "in": "query", "schema": {"type": "integer"}},
                    {"name": "per_page", "in": "query", "schema": {"type": "integer"}}])
def organisation_members(slug: str):
    organisation = admin_organisation(slug)
    page, per_page = pagination()
    query = select(Membership).where(Membership.organisation_id == organisation.id)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = db.session.scalars(
        query.join(Membership.user).options(joinedload(Membership.user))
        .order_by(User.name, Membership.id).limit(per_page).offset((page - 1) * per_page)
    )
    return MemberPage().dump(page_of(list(rows), total, page, per_page))


@bp.get("/organisations/<slug>/xapi")
@token_required
@documented("xAPI 1.0.3 statements of the organisation, one JSON object per line "
            "(organisation admins); `since` and `until` (YYYY-MM-DD, until exclusive) page "
            "through time, default the last 30 days",
            responses={200: "application/x-ndjson", 403: "Not an admin",
                       404: "Unknown organisation", 422: "Bad date range"},
            params=[{"name": "since", "in": "query", "schema": {"type": "string"}},
                    {"name": "until", "in": "query", "schema": {"type": "string"}}])
def organisation_xapi(slug: str):
    from trainer.xapi.export import date_range, statements
    from trainer.xapi.statements import to_json_lines

    organisation = admin_organisation(slug)
    since, until = date_range(request.args.get("since"), request.args.get("until"),
                              utcnow().date())
    base = current_app.config.get("PUBLIC_BASE_URL") or request.host_url.rstrip("/")
    body = to_json_lines(statements(organisation, since, until, base))
    return Response(body, mimetype="application/x-ndjson")
