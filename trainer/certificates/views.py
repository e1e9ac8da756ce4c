"""Certificate pages for holders and organisation admins: the list, one certificate with its
downloads, issue, revoke and renew."""

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from trainer.auth.bearer import bearer_token
from trainer.auth.services import token_owner
from trainer.certificates import services
from trainer.certificates.credential import public_base
from trainer.certificates.forms import IssueForm, RevokeForm
from trainer.certificates.guards import credential_response, find, may_view, verify_url
from trainer.certificates.models import Certificate
from trainer.certificates.pdf import CertificatePrint, render_pdf
from trainer.errors import DomainError
from trainer.extensions import db, login_manager
from trainer.timeutil import utcnow
from trainer.web.context import current_membership
from trainer.web.converters import db_int
from trainer.web.forms import ActionForm
from trainer.web.guards import role_required
from trainer.web.transaction import discard

bp = Blueprint("certificates", __name__, template_folder="templates",
               url_prefix="/certificates")


def viewable_or_404(certificate_id: str) -> Certificate:
    certificate = find(certificate_id)
    if certificate is None or not current_user.is_authenticated \
            or not may_view(current_user, certificate):
        abort(404)
    return certificate


def admin_certificate_or_404(certificate_id: str) -> Certificate:
    certificate = find(certificate_id)
    if certificate is None or certificate.organisation_id != \
            current_membership().organisation_id:
        abort(404)
    return certificate


@bp.route("")
@role_required("trainee", "admin")
def index():
    membership = current_membership()
    query = select(Certificate).options(selectinload(Certificate.organisation),
                                        selectinload(Certificate.trainee))
    if membership.role == "admin":
        query = query.where(Certificate.organisation_id == membership.organisation_id)
    else:
        query = query.where(Certificate.trainee_id == current_user.id)
    certificates = list(db.session.scalars(query.order_by(Certificate.issued_at.desc(),
                                                          Certificate.serial_number.desc())))
    now = utcnow()
    renewed = set(db.session.scalars(select(Certificate.renews_id).where(
        Certificate.renews_id.in_([c.id for c in certificates]))))
    expiring = [c for c in certificates if c.id not in renewed and c.revoked_at is None
                and services.renewable(c, now)]
    return render_template("certificates/index.html", certificates=certificates,
                           expiring=expiring, now=now, admin=membership.role == "admin")


@bp.route("/<certificate_id>")
@role_required("trainee", "supervisor", "admin")
def detail(certificate_id: str):
    certificate = viewable_or_404(certificate_id)
    return _detail(certificate, RevokeForm(), 200)


def _detail(certificate: Certificate, revoke_form: RevokeForm, status: int):
    now = utcnow()
    renewal = db.session.scalar(select(Certificate).where(
        Certificate.renews_id == certificate.id))
    membership = current_membership()
    admin = membership is not None and membership.role == "admin" \
        and membership.organisation_id == certificate.organisation_id
    return render_template(
        "certificates/detail.html", certificate=certificate, now=now, admin=admin,
        status=certificate.status(now), renewal=renewal, revoke_form=revoke_form,
        renew_form=ActionForm(), renewable=services.renewable(certificate, now)
        and renewal is None, verify_url=verify_url(certificate),
        recognition=services.recognition_of(certificate)), status


@bp.post("/issue")
@role_required("admin")
def issue():
    form = IssueForm()
    org_id = current_membership().organisation_id
    trainee_id = form.trainee_id.data
    try:
        trainee = db_int(trainee_id or "")
    except ValueError:
        trainee = None
    back = url_for("competency.trainee", user_id=trainee) if trainee \
        else url_for("competency.cohort")
    if not form.validate_on_submit():
        flash("Choose a trainee and a pathway.", "error")
        return redirect(back)
    try:
        certificate = services.issue(current_user, org_id, trainee, form.pathway.data,
                                     base=public_base())
    except services.NotEligible as error:
        discard()
        flash("Not issued: " + error.message, "error")
        return redirect(back)
    except DomainError as error:
        discard()
        flash(f"Not issued: {error.message}", "error")
        return redirect(back)
    flash(f"Certificate {certificate.serial} issued to {certificate.holder_name}.", "success")
    return redirect(url_for("certificates.detail", certificate_id=certificate.id))


@bp.post("/<certificate_id>/revoke")
@role_required("admin")
def revoke(certificate_id: str):
    certificate = admin_certificate_or_404(certificate_id)
    form = RevokeForm()
    if not form.validate_on_submit():
        return _detail(certificate, form, 422)
    try:
        services.revoke(current_user, certificate, form.reason.data)
    except DomainError as error:
        discard()
        form.reason.errors = [error.message]
        return _detail(certificate, form, error.status)
    flash(f"Certificate {certificate.serial} revoked; the verification page says so now.",
          "success")
    return redirect(url_for("certificates.detail", certificate_id=certificate.id))


@bp.post("/<certificate_id>/renew")
@role_required("admin")
def renew(certificate_id: str):
    certificate = admin_certificate_or_404(certificate_id)
    try:
        new = services.renew(current_user, certificate, base=public_base())
    except DomainError as error:
        discard()
        flash(f"Not renewed: {error.message}", "error")
        return redirect(url_for("certificates.detail", certificate_id=certificate.id))
    flash(f"Renewed: certificate {new.serial} issued.", "success")
    return redirect(url_for("certificates.detail", certificate_id=new.id))


@bp.route("/<certificate_id>/certificate.pdf")
def pdf(certificate_id: str):
    """The PDF, for the holder or an admin of the issuing organisation, by web session or
    bearer token (the API's `pdf_url`)."""
    certificate = find(certificate_id)
    plain = bearer_token()
    if plain is not None:
        token = token_owner(plain)
        user = token.user if token is not None else None
        if user is None:
            abort(401)
        allowed = certificate is not None and may_view(user, certificate, any_admin_role=True)
    else:
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        allowed = certificate is not None and may_view(current_user, certificate)
    if not allowed:
        abort(404)
    size = request.args.get("size", "a4")
    if size not in ("a4", "letter"):
        abort(404)
    body = render_pdf(printable(certificate), size)
    filename = f"certificate-{certificate.serial}-{size}.pdf"
    return Response(body, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "private, no-store"})


def printable(certificate: Certificate) -> CertificatePrint:
    """What the PDF prints."""
    return CertificatePrint(
        holder=certificate.holder_name, pathway=certificate.pathway_title,
        organisation=certificate.organisation.name, serial=certificate.serial,
        issued_on=certificate.issued_at.date(),
        expires_on=certificate.expires_at.date() if certificate.expires_at else None,
        verify_url=verify_url(certificate),
        issued_by=certificate.issued_by.name if certificate.issued_by else None,
        recognition=services.recognition_of(certificate),
        competencies=tuple(a["targetName"] for a in certificate.credential[
            "credentialSubject"]["achievement"].get("alignment", [])))


@bp.route("/<certificate_id>/credential.<kind>")
@role_required("trainee", "supervisor", "admin")
def download(certificate_id: str, kind: str):
    """The credential as a file: JSON-LD with its proof, or the VC-JWT."""
    certificate = viewable_or_404(certificate_id)
    if kind not in ("json", "jwt"):
        abort(404)
    response = credential_response(certificate, "jwt" if kind == "jwt" else "ld")
    response.headers["Content-Disposition"] = \
        f'attachment; filename="certificate-{certificate.serial}.{kind}"'
    return response
