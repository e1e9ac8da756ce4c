"""Issuing, renewing and revoking certificates; each is one transaction with its audit entry."""

import calendar
import secrets
import uuid
from dataclasses import asdict
from datetime import datetime, timedelta

from sqlalchemy import func, select

from trainer.audit.services import record
from trainer.auth.models import User
from trainer.certificates import credential as cred
from trainer.certificates.keys import current_key, private_key
from trainer.certificates.models import Certificate
from trainer.competency import queries
from trainer.competency.eligibility import evaluate
from trainer.content.models import Pathway
from trainer.dataversion import person_changed_everywhere
from trainer.errors import Conflict, DomainError
from trainer.extensions import DB_INT_MAX, db
from trainer.notifications.services import notify
from trainer.orgs.models import Membership, Organisation
from trainer.timeutil import utcnow

RENEWAL_WINDOW = timedelta(days=90)


class NotEligible(Conflict):
    """Issuance refused: the checklist is not all met at this moment (409 `not_eligible`)."""

    code = "not_eligible"

    def __init__(self, unmet: list[dict]):
        super().__init__("The trainee does not meet every requirement of the pathway: "
                         + "; ".join(u["detail"] for u in unmet) + ".")
        self.extra = {"unmet": unmet}


def add_months(moment: datetime, months: int) -> datetime:
    """The same day `months` later (the month's last day when it has fewer days)."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def find_pathway(key: str):
    """The latest loaded version of a pathway, or None."""
    return next((p for p in queries.pathways() if p.key == key), None)


def recognition_of(certificate: Certificate) -> str:
    """The certificate's statement of what it is (its own, not accreditation by any
    professional body; or the standard it is aligned with), as fixed at issue; for a
    certificate issued before the statement was kept, from the pathway version it was issued
    on."""
    stated = (certificate.evidence or {}).get("recognition")
    if stated:
        return stated
    row = db.session.scalar(select(Pathway).where(
        Pathway.key == certificate.pathway_key, Pathway.version == certificate.pathway_version))
    return cred.recognition(row.data if row else {}, certificate.organisation.name)


def trainee_of(organisation_id: int, user_id) -> User | None:
    """The user when they hold an active trainee membership in the organisation."""
    if not isinstance(user_id, int) or isinstance(user_id, bool) \
            or not 0 < user_id <= DB_INT_MAX:
        return None
    return db.session.scalar(select(User).join(Membership).where(
        User.id == user_id, Membership.organisation_id == organisation_id,
        Membership.role == "trainee", Membership.active.is_(True)))


def issue(actor: User, organisation_id: int, trainee_id, pathway_key: str, *, base: str,
          renews: Certificate | None = None) -> Certificate:
    """Issue a certificate after re-checking eligibility in this transaction. The
    organisation's row is locked so serial numbers stay sequential under concurrency."""
    organisation = db.session.scalar(select(Organisation).where(
        Organisation.id == organisation_id).with_for_update())
    trainee = trainee_of(organisation_id, trainee_id)
    if trainee is None:
        raise DomainError("No such trainee in this organisation.", field="trainee_id")
    pathway = find_pathway(pathway_key) if isinstance(pathway_key, str) else None
    if pathway is None:
        raise DomainError(f"Unknown pathway '{pathway_key}'.", field="pathway_id")
    _refuse_duplicate(organisation_id, trainee.id, pathway.key, renews)
    estimates = queries.profiles([trainee.id], organisation_id)
    result = evaluate(pathway.data, queries.records([trainee.id], organisation_id,
                                                    estimates)[trainee.id])
    if not result.eligible:
        raise NotEligible([{"id": r.id, "detail": r.detail}
                           for r in result.requirements if not r.met])
    now = utcnow().replace(microsecond=0)
    months = pathway.data.get("validity_months")
    expires = add_months(now, months) if months else None
    certificate = Certificate(
        id=str(uuid.uuid4()), organisation_id=organisation_id,
        serial_number=_next(Certificate.serial_number, organisation_id, 1),
        status_index=_next(Certificate.status_index, organisation_id, 0),
        trainee_id=trainee.id, holder_name=trainee.name, pathway_key=pathway.key,
        pathway_version=pathway.version, pathway_title=pathway.title, issued_at=now,
        expires_at=expires, issued_by_id=actor.id, renews_id=renews.id if renews else None,
        evidence={"checked_at": now.isoformat(), "pathway": pathway.key,
                  "pathway_version": pathway.version,
                  "recognition": cred.recognition(pathway.data, organisation.name),
                  "requirements": [asdict(r) for r in result.requirements],
                  "competencies": [asdict(e) for e in estimates.get(trainee.id, [])]})
    _sign(certificate, organisation, trainee, pathway.data, base)
    db.session.add(certificate)
    db.session.flush()
    notify(organisation_id, trainee.id, "certificate",
           f"Your certificate {certificate.serial} ({pathway.title}) has been issued.",
           f"/certificates/{certificate.id}")
    record(actor, "certificate.renewed" if renews else "certificate.issued",
           organisation_id=organisation_id, target=certificate, serial=certificate.serial,
           trainee_id=trainee.id, pathway=pathway.key,
           **({"renews": renews.id} if renews else {}))
    person_changed_everywhere(trainee.id)  # certificates count on every organisation's pages
    return certificate


def _refuse_duplicate(organisation_id: int, trainee_id: int, pathway_key: str,
                      renews: Certificate | None) -> None:
    """One live certificate per trainee and pathway: a second issue (a double click) is a
    conflict; a renewal is allowed once the old one is within the renewal window."""
    now = utcnow()
    live = [c for c in db.session.scalars(select(Certificate).where(
        Certificate.organisation_id == organisation_id, Certificate.trainee_id == trainee_id,
        Certificate.pathway_key == pathway_key, Certificate.revoked_at.is_(None)))
        if c.status(now) == "active"]
    if renews is not None:
        if db.session.scalar(select(Certificate.id).where(Certificate.renews_id == renews.id)):
            raise Conflict("This certificate has already been renewed.")
        if renews.status(now) == "revoked":
            raise Conflict("A revoked certificate cannot be renewed.")
        if not renewable(renews, now):
            raise Conflict("Only a certificate that expires within 90 days (or has expired) "
                           "can be renewed.")
        live = [c for c in live if c.id != renews.id]
    if live:
        raise Conflict(f"The trainee already holds an active certificate for this pathway "
                       f"(serial {live[0].serial}).")


def renewable(certificate: Certificate, now: datetime) -> bool:
    """Not revoked, with an expiry date within the renewal window (or past)."""
    return certificate.revoked_at is None and certificate.expires_at is not None \
        and certificate.expires_at - now <= RENEWAL_WINDOW


def _next(column, organisation_id: int, first: int) -> int:
    current = db.session.scalar(select(func.max(column)).where(
        Certificate.organisation_id == organisation_id))
    return first if current is None else current + 1


def _sign(certificate: Certificate, organisation: Organisation, trainee: User, pathway: dict,
          base: str) -> None:
    """Build and sign the credential with the organisation's current key."""
    key = current_key(organisation.id)
    unsigned = cred.build(
        certificate_id=certificate.id, base=base, organisation=organisation, pathway=pathway,
        framework=queries.framework(), holder_email=trainee.email,
        salt=secrets.token_hex(8), issued_at=certificate.issued_at,
        expires_at=certificate.expires_at, status_index=certificate.status_index)
    method = cred.verification_method(base, organisation.slug, key.public_key_multibase)
    certificate.credential, certificate.credential_jwt = cred.secure(
        unsigned, private_key=private_key(key), method=method,
        issued_at=certificate.issued_at, expires_at=certificate.expires_at)
    certificate.signing_key_id = key.id


def renew(actor: User, certificate: Certificate, *, base: str) -> Certificate:
    """A new certificate for the same trainee and pathway, linked to the old one; the
    trainee must be eligible again."""
    return issue(actor, certificate.organisation_id, certificate.trainee_id,
                 certificate.pathway_key, base=base, renews=certificate)


def revoke(actor: User, certificate: Certificate, reason: str) -> Certificate:
    """Revoke with a reason (kept private); the status list and verify page flip at once."""
    reason = (reason or "").strip() if isinstance(reason, str) else ""
    if not reason:
        raise DomainError("Give the reason for revoking.", field="reason")
    if len(reason) > 2000:
        raise DomainError("Keep the reason under 2,000 characters.", field="reason")
    if certificate.revoked_at is not None:
        raise Conflict("This certificate is already revoked.")
    certificate.revoked_at = utcnow()
    certificate.revoked_by_id = actor.id
    certificate.revocation_reason = reason
    notify(certificate.organisation_id, certificate.trainee_id, "certificate",
           f"Your certificate {certificate.serial} ({certificate.pathway_title}) has been "
           "revoked by the issuing organisation.", f"/certificates/{certificate.id}")
    record(actor, "certificate.revoked", organisation_id=certificate.organisation_id,
           target=certificate, serial=certificate.serial, reason=reason)
    person_changed_everywhere(certificate.trainee_id)
    return certificate


def revoked_indexes(organisation_id: int) -> set[int]:
    return set(db.session.scalars(select(Certificate.status_index).where(
        Certificate.organisation_id == organisation_id, Certificate.revoked_at.is_not(None))))
