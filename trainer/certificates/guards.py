"""Lookups and answers the certificate pages, the public pages and the API share."""

import re

from flask import Response, jsonify, url_for

from trainer.certificates import credential as cred
from trainer.certificates.models import Certificate
from trainer.extensions import db
from trainer.timeutil import utcnow
from trainer.web.context import current_membership

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def find(certificate_id: str) -> Certificate | None:
    """A certificate by id (None for an unknown or malformed id)."""
    if not UUID_RE.match(certificate_id or ""):
        return None
    return db.session.get(Certificate, certificate_id)


def verify_url(certificate: Certificate) -> str:
    return f"{cred.public_base()}{url_for('public.verify', certificate_id=certificate.id)}"


def verification(certificate: Certificate) -> dict:
    """What the public may know: status and dates, never the revocation reason."""
    status = certificate.status(utcnow())
    return {"valid": status == "active", "status": status,
            "holder": certificate.holder_name, "pathway": certificate.pathway_title,
            "organisation": certificate.organisation.name,
            "issued_at": certificate.issued_at, "expires_at": certificate.expires_at,
            "revoked_at": certificate.revoked_at}


def credential_response(certificate: Certificate, kind: str) -> Response:
    """The stored signed credential: JSON-LD with its proof, or the VC-JWT."""
    if kind == "jwt":
        return Response(certificate.credential_jwt, mimetype="application/jwt")
    response = jsonify(certificate.credential)
    response.mimetype = "application/vc+ld+json"
    return response


def may_view(user, certificate: Certificate, *, any_admin_role: bool = False) -> bool:
    """The holder, or an admin of the issuing organisation (in the active role on pages;
    any active admin membership for a bearer token)."""
    if user is None or not getattr(user, "is_authenticated", True):
        return False
    if certificate.trainee_id == user.id:
        return True
    if any_admin_role:
        return any(m.active and m.role == "admin" and m.organisation_id ==
                   certificate.organisation_id for m in user.memberships)
    membership = current_membership()
    return membership is not None and membership.role == "admin" \
        and membership.organisation_id == certificate.organisation_id
