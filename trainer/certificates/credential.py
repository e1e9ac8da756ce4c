"""The Open Badges 3.0 credential of a certificate, the issuer profile and the revocation
status list, as plain dictionaries (signing is done by `trainer.credentials`)."""

import hashlib
from datetime import datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from flask import current_app, request

from trainer.credentials import integrity, multikey, statuslist, vcjwt

CONTEXTS = ["https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]

REQUIREMENT_WORDS = {
    "modules": "pass the knowledge check of {modules} curriculum modules",
    "vignettes": "pass at least {passed_min} case vignettes",
    "competencies": "reach level {min_level} on {which} competencies",
    "certificate": "hold an active {certificate} certificate",
    "calibration": "be a calibrated rater of IPT sessions",
}

NOT_ACCREDITATION = "it is not accreditation by any professional body."
OWN_CERTIFICATE = "Issued by {organisation} as its own certificate; " + NOT_ACCREDITATION
ANY_OWN_CERTIFICATE = "The issuing organisation's own certificate; " + NOT_ACCREDITATION


def recognition(pathway: dict, organisation: str | None = None) -> str:
    """What the certificate is, for the PDF, the verification page and the credential.

    A pathway aligned with a named body's standard says so in its `aligned_with`, used as
    written. Every other pathway is the organisation's own certificate, and the statement
    says it is not accreditation by any professional body: the default, so no pathway can
    read as accredited by leaving something out. Without an organisation (the public
    pathway page), the statement speaks of the issuing organisation.
    """
    aligned = " ".join((pathway.get("aligned_with") or "").split())
    if aligned:
        return aligned
    if organisation is None:
        return ANY_OWN_CERTIFICATE
    return OWN_CERTIFICATE.format(organisation=organisation)


def public_base() -> str:
    """PUBLIC_BASE_URL, or the URL the request came in on."""
    return (current_app.config.get("PUBLIC_BASE_URL") or request.host_url).rstrip("/")


def issuer_id(base: str, slug: str) -> str:
    return f"{base}/issuers/{slug}"


def verification_method(base: str, slug: str, public_key_multibase: str) -> str:
    return f"{issuer_id(base, slug)}#{public_key_multibase}"


def stamp(moment: datetime) -> str:
    """An XML Schema dateTime in UTC, to the second."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def identity_hash(email: str, salt: str) -> str:
    """The holder's identifier: a salted SHA-256 of the lower-cased address, never the
    address itself (OB 3.0 IdentityObject)."""
    return "sha256$" + hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()


def narrative(pathway: dict) -> str:
    """The pathway's requirements in words, for `criteria.narrative`."""
    req = pathway["requirements"]
    parts = []
    if "modules" in req:
        which = req["modules"] if isinstance(req["modules"], str) else "the listed"
        parts.append(REQUIREMENT_WORDS["modules"].format(modules=which))
    if "vignettes" in req:
        text = REQUIREMENT_WORDS["vignettes"].format(passed_min=req["vignettes"].get(
            "passed_min", 1))
        if req["vignettes"].get("problem_areas"):
            text += " covering " + ", ".join(req["vignettes"]["problem_areas"])
        parts.append(text)
    if "supervised_cases" in req:
        parts.append(_cases_words(req["supervised_cases"]))
    if "competencies" in req:
        which = "the listed" if req["competencies"].get("ids") else "every core"
        parts.append(REQUIREMENT_WORDS["competencies"].format(
            min_level=req["competencies"].get("min_level", 3), which=which))
    if "certificate" in req:
        parts.append(REQUIREMENT_WORDS["certificate"].format(certificate=req["certificate"]))
    if "supervision_given" in req:
        given = req["supervision_given"]
        parts.append(f"supervise at least {given.get('trainees_min', 0)} trainees with "
                     f"{given.get('completed_cases_min', 0)} cases completed")
    if "calibration" in req:
        parts.append(REQUIREMENT_WORDS["calibration"])
    return "To earn this certificate a therapist must " + "; ".join(parts) + "."


def _cases_words(cases: dict) -> str:
    text = (f"complete {cases.get('completed_min', 1)} supervised IPT cases of at least "
            f"{cases.get('sessions_min', 0)} sessions")
    if cases.get("rated_sessions_min"):
        text += (f", each with {cases['rated_sessions_min']} randomly drawn sessions rated by "
                 f"a calibrated supervisor ({cases.get('competent_sessions_min', 0)} competent)")
    if cases.get("phases"):
        text += " across the " + ", ".join(cases["phases"]) + " phases"
    if cases.get("supervision_hours_min"):
        text += f", with {cases['supervision_hours_min']} hours of supervision per case"
    if cases.get("distinct_problem_areas"):
        text += f", covering {cases['distinct_problem_areas']} distinct problem areas"
    return text


def aligned_competencies(pathway: dict, framework: dict | None) -> list[dict]:
    """The competencies a pathway certifies: those its competency requirement names, else
    the framework's core competencies."""
    if not framework:
        return []
    ids = (pathway["requirements"].get("competencies") or {}).get("ids")
    return [c for c in framework["competencies"]
            if (c["id"] in ids if ids else c.get("core", True))]


def build(*, certificate_id: str, base: str, organisation, pathway: dict, framework: dict | None,
          holder_email: str, salt: str, issued_at: datetime, expires_at: datetime | None,
          status_index: int) -> dict:
    """The unsigned OpenBadgeCredential of a certificate."""
    issuer = issuer_id(base, organisation.slug)
    status_list = f"{issuer}/status/revocation"
    credential = {
        "@context": list(CONTEXTS),
        "id": f"urn:uuid:{certificate_id}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"{pathway['title']}, {organisation.name}",
        "issuer": {"id": issuer, "type": ["Profile"], "name": organisation.name,
                   "url": f"{base}/issuers/{organisation.slug}"},
        "validFrom": stamp(issued_at),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [{"type": "IdentityObject", "hashed": True,
                            "identityHash": identity_hash(holder_email, salt),
                            "identityType": "emailAddress", "salt": salt}],
            "achievement": {
                "id": f"{base}/pathways/{pathway['id']}",
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": pathway["title"],
                "description": f"{pathway['title']}: certification in Interpersonal "
                               f"Psychotherapy (IPT), pathway {pathway['id']} version "
                               f"{pathway['version']}. "
                               f"{recognition(pathway, organisation.name)}",
                "criteria": {"narrative": narrative(pathway)},
                "alignment": [{"type": ["Alignment"], "targetName": c["title"],
                               "targetUrl": f"{base}/competencies/{framework['framework']}"
                                            f"#{c['id']}",
                               "targetType": "CFItem"}
                              for c in aligned_competencies(pathway, framework)],
            },
        },
        "credentialStatus": {
            "id": f"{status_list}#{status_index}", "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation", "statusListIndex": str(status_index),
            "statusListCredential": status_list},
    }
    if expires_at is not None:
        credential["validUntil"] = stamp(expires_at)
    return credential


def secure(credential: dict, *, private_key, method: str, issued_at: datetime,
           expires_at: datetime | None) -> tuple[dict, str]:
    """The credential with its embedded eddsa-rdfc-2022 proof, and the same as a VC-JWT."""
    signed = integrity.sign(credential, private_key, method, issued_at)
    token = vcjwt.encode(credential, private_key, method, nbf=issued_at, exp=expires_at)
    return signed, token


def profile(base: str, organisation, keys: list) -> dict:
    """The issuer profile: name, URL and every public key as a Multikey method."""
    issuer = issuer_id(base, organisation.slug)
    return {
        "@context": list(CONTEXTS),
        "id": issuer, "type": ["Profile"], "name": organisation.name, "url": issuer,
        "verificationMethod": [
            {"id": f"{issuer}#{key.public_key_multibase}", "type": "Multikey",
             "controller": issuer, "publicKeyMultibase": key.public_key_multibase}
            for key in keys],
    }


def jwk(base: str, organisation, key) -> dict:
    """One key as a public JWK, its kid the verification method URL."""
    public = Ed25519PublicKey.from_public_bytes(key.public_key)
    return {**multikey.public_key_to_jwk(public), "kid": verification_method(
        base, organisation.slug, key.public_key_multibase), "alg": "EdDSA", "use": "sig"}


def status_list_credential(base: str, organisation, revoked: set[int], size: int) -> dict:
    """The unsigned BitstringStatusListCredential with the revoked indexes set."""
    url = f"{issuer_id(base, organisation.slug)}/status/revocation"
    return {
        "@context": [CONTEXTS[0]],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id(base, organisation.slug),
        "credentialSubject": {"id": f"{url}#list", "type": "BitstringStatusList",
                              "statusPurpose": "revocation",
                              "encodedList": statuslist.encode(revoked, size)},
    }
