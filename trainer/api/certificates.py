"""API routes for certificates: issue, read, revoke, the credential, public verification."""

from flask import abort, g, request, url_for
from marshmallow import Schema, fields, validate

from trainer.api import bp
from trainer.api.auth import token_required
from trainer.api.common import documented, load
from trainer.certificates import services
from trainer.certificates.credential import public_base
from trainer.certificates.guards import (
    credential_response,
    find,
    may_view,
    verification,
    verify_url,
)
from trainer.errors import DomainError
from trainer.timeutil import utcnow


class IssueIn(Schema):
    trainee_id = fields.Raw(required=True)
    pathway_id = fields.Raw(required=True)


class RevokeIn(Schema):
    reason = fields.String(required=True, validate=validate.Length(max=2000))


class CertificateOut(Schema):
    id = fields.String()
    serial = fields.String()
    trainee_id = fields.Integer()
    holder = fields.String()
    pathway_id = fields.String()
    organisation = fields.String()
    issued_at = fields.DateTime()
    expires_at = fields.DateTime(allow_none=True)
    status = fields.String()
    verify_url = fields.String()
    pdf_url = fields.String()


class VerifyOut(Schema):
    valid = fields.Boolean()
    status = fields.String()
    holder = fields.String()
    pathway = fields.String()
    organisation = fields.String()
    issued_at = fields.DateTime()
    expires_at = fields.DateTime(allow_none=True)
    revoked_at = fields.DateTime(allow_none=True)


def certificate_object(certificate) -> dict:
    """The spec's certificate object."""
    return CertificateOut().dump({
        "id": certificate.id, "serial": certificate.serial,
        "trainee_id": certificate.trainee_id, "holder": certificate.holder_name,
        "pathway_id": certificate.pathway_key, "organisation": certificate.organisation.slug,
        "issued_at": certificate.issued_at, "expires_at": certificate.expires_at,
        "status": certificate.status(utcnow()), "verify_url": verify_url(certificate),
        "pdf_url": public_base() + url_for("certificates.pdf", certificate_id=certificate.id)})


def _admin_organisations() -> list[int]:
    return sorted(m.organisation_id for m in g.api_user.memberships
                  if m.active and m.role == "admin")


@bp.post("/certificates")
@token_required
@documented("Issue a certificate (organisation admins); eligibility is checked again",
            body=IssueIn, responses={201: CertificateOut, 403: "Not an organisation admin",
                                     409: "Not eligible (`not_eligible`, with `unmet`) or "
                                          "already certified",
                                     422: "Unknown trainee or pathway"})
def issue_certificate():
    organisations = _admin_organisations()
    if not organisations:
        abort(403)
    data = load(IssueIn())
    trainee_id = data["trainee_id"] if isinstance(data["trainee_id"], int) \
        and not isinstance(data["trainee_id"], bool) else None
    org_id = next((o for o in organisations
                   if services.trainee_of(o, trainee_id) is not None), None)
    if org_id is None:
        raise DomainError("No such trainee in your organisation.", field="trainee_id")
    certificate = services.issue(g.api_user, org_id, trainee_id, data["pathway_id"],
                                 base=public_base())
    return certificate_object(certificate), 201


def _visible(certificate_id: str):
    """The certificate for its holder or an admin of the issuing organisation; else 404."""
    certificate = find(certificate_id)
    if certificate is None or not may_view(g.api_user, certificate, any_admin_role=True):
        abort(404)
    return certificate


@bp.get("/certificates/<certificate_id>")
@token_required
@documented("A certificate (its holder or an admin of the issuing organisation)",
            responses={200: CertificateOut, 404: "Not visible"})
def get_certificate(certificate_id: str):
    return certificate_object(_visible(certificate_id))


@bp.post("/certificates/<certificate_id>/revoke")
@token_required
@documented("Revoke a certificate (admins of the issuing organisation); reason required",
            body=RevokeIn, responses={200: CertificateOut, 403: "Not an admin there",
                                      404: "Not visible", 409: "Already revoked",
                                      422: "No reason"})
def revoke_certificate(certificate_id: str):
    certificate = _visible(certificate_id)
    if certificate.organisation_id not in _admin_organisations():
        abort(403)
    data = load(RevokeIn())
    services.revoke(g.api_user, certificate, data["reason"])
    return certificate_object(certificate)


@bp.get("/certificates/<certificate_id>/credential")
@documented("The Open Badges 3.0 credential (anyone holding the id); `?format=jwt` for the "
            "VC-JWT", responses={200: "application/vc+ld+json or application/jwt",
                                 404: "Unknown id"},
            params=[{"name": "format", "in": "query",
                     "schema": {"type": "string", "enum": ["jwt"]}}])
def certificate_credential(certificate_id: str):
    certificate = find(certificate_id)
    if certificate is None:
        abort(404)
    return credential_response(certificate, "jwt" if request.args.get("format") == "jwt"
                               else "ld")


@bp.get("/verify/<certificate_id>")
@documented("Verify a certificate (anyone, no token)",
            responses={200: VerifyOut, 404: "Unknown id"})
def verify_certificate(certificate_id: str):
    certificate = find(certificate_id)
    if certificate is None:
        abort(404)
    return VerifyOut().dump(verification(certificate))
