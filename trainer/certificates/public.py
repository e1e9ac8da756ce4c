"""What anyone may read without signing in: the verification page, issuer profiles, the
revocation status lists, the JWKS, and the pathway and competency pages that credentials
point to."""


from flask import Blueprint, abort, jsonify, render_template, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from trainer.certificates import credential as cred
from trainer.certificates import services
from trainer.certificates.guards import find, verification
from trainer.certificates.keys import current_key, private_key
from trainer.certificates.models import Certificate, SigningKey
from trainer.competency import queries
from trainer.credentials import integrity
from trainer.extensions import db, limiter
from trainer.orgs.models import Organisation
from trainer.timeutil import utcnow
from trainer.web.transaction import keep_backfill

bp = Blueprint("public", __name__, template_folder="templates")

STATUS_LIST_BITS = 131072
VERIFY_LIMIT = "60 per minute"
STATUS_LIST_LIMIT = "120 per minute"



@bp.route("/verify/<certificate_id>")
@limiter.limit(VERIFY_LIMIT)
def verify(certificate_id: str):
    certificate = find(certificate_id)
    if certificate is None:
        abort(404)
    return render_template("certificates/verify.html", certificate=certificate,
                           result=verification(certificate),
                           recognition=services.recognition_of(certificate),
                           credential_url=url_for("api.certificate_credential",
                                                  certificate_id=certificate.id))



def organisation_or_404(slug: str) -> Organisation:
    organisation = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
    if organisation is None:
        abort(404)
    return organisation


def _keys(organisation_id: int) -> list[SigningKey]:
    _current_key(organisation_id)
    return list(db.session.scalars(select(SigningKey).where(
        SigningKey.organisation_id == organisation_id).order_by(SigningKey.id)))


def _current_key(organisation_id: int) -> SigningKey:
    keep_backfill()  # made here only for an organisation that has none yet
    return current_key(organisation_id)


@bp.route("/issuers/<slug>")
def issuer(slug: str):
    organisation = organisation_or_404(slug)
    body = cred.profile(cred.public_base(), organisation, _keys(organisation.id))
    response = jsonify(body)
    response.mimetype = "application/ld+json"
    return response


@bp.route("/issuers/<slug>/status/revocation")
@limiter.limit(STATUS_LIST_LIMIT)  # signed on each request: a cap on the CPU one address uses
def status_list(slug: str):
    """The organisation's signed BitstringStatusListCredential (fresh at every request, so
    a revocation shows at once)."""
    organisation = organisation_or_404(slug)
    revoked = services.revoked_indexes(organisation.id)
    top = db.session.scalar(select(Certificate.status_index).where(
        Certificate.organisation_id == organisation.id)
        .order_by(Certificate.status_index.desc()).limit(1)) or 0
    size = max(STATUS_LIST_BITS, -(-(top + 1) // STATUS_LIST_BITS) * STATUS_LIST_BITS)
    base = cred.public_base()
    key = _current_key(organisation.id)
    now = utcnow().replace(microsecond=0)
    unsigned = cred.status_list_credential(base, organisation, revoked, size)
    unsigned["validFrom"] = cred.stamp(now)
    signed = integrity.sign(unsigned, private_key(key), cred.verification_method(
        base, organisation.slug, key.public_key_multibase), now)
    response = jsonify(signed)
    response.mimetype = "application/vc+ld+json"
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.route("/.well-known/jwks.json")
def jwks():
    """Every organisation's current and retired public keys."""
    base = cred.public_base()
    keys = db.session.scalars(select(SigningKey).options(
        selectinload(SigningKey.organisation)).order_by(SigningKey.id))
    return jsonify({"keys": [cred.jwk(base, key.organisation, key) for key in keys]})


@bp.route("/pathways/<key>")
def pathway(key: str):
    """A pathway as credentials describe it: its title and requirements in words."""
    found = services.find_pathway(key)
    if found is None:
        abort(404)
    framework = queries.framework()
    return render_template("certificates/pathway.html", pathway=found,
                           narrative=cred.narrative(found.data),
                           recognition=cred.recognition(found.data),
                           competencies=cred.aligned_competencies(found.data, framework))


@bp.route("/competencies/<framework_id>")
def competencies(framework_id: str):
    """The competency framework that credentials align to, one anchor per competency."""
    framework = queries.framework()
    if framework is None or framework["framework"] != framework_id:
        abort(404)
    return render_template("certificates/competencies.html", framework=framework)
