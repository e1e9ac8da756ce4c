"""The certificate pages: issue from the trainee's checklist, the PDF with its QR code, the
holder's page, revoke, renew, key rotation and keys at rest."""

import io
from datetime import timedelta

import pypdfium2
import pytest
import zxingcpp
from click.testing import CliRunner
from sqlalchemy import func, select

from tests.certificates import independent
from trainer.certificates.keys import KeyUnavailable, current_key, private_key
from trainer.certificates.models import Certificate, SigningKey
from trainer.extensions import db
from trainer.timeutil import utcnow


@pytest.fixture
def world(make):
    org = make.org(slug="acme", name="Acme IPT Institute")
    admin = make.user(org=org, role="admin", name="Ada Admin")
    trainee = make.user(org=org, role="trainee", name="Tia Trainee")
    module = make.module("mod-a")
    make.pathway()
    make.passed_module(org, trainee, module)
    return {"org": org, "admin": admin, "trainee": trainee, "make": make}


def qr_text(pdf_bytes: bytes) -> str:
    page = pypdfium2.PdfDocument(io.BytesIO(pdf_bytes))[0]
    image = page.render(scale=3).to_pil()
    return zxingcpp.read_barcodes(image)[0].text


def test_admin_issues_from_the_checklist_and_downloads_the_pdf(client, world, login_as):
    login_as(world["admin"])
    page = client.get(f"/competency/trainees/{world['trainee'].id}")
    assert b"Issue certificate" in page.data
    response = client.post("/certificates/issue", data={
        "trainee_id": world["trainee"].id, "pathway": "test-pathway"})
    assert response.status_code == 302
    certificate = db.session.scalar(select(Certificate))
    assert response.headers["Location"].endswith(f"/certificates/{certificate.id}")
    detail = client.get(response.headers["Location"])
    assert b"ACME-000001" in detail.data and b"Revoke certificate" in detail.data
    pdf = client.get(f"/certificates/{certificate.id}/certificate.pdf?size=letter")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert qr_text(pdf.data) == f"http://localhost/verify/{certificate.id}"
    verify = client.get(f"/verify/{certificate.id}")
    assert b"Valid." in verify.data and b"Tia Trainee" in verify.data
    again = client.post("/certificates/issue", data={
        "trainee_id": world["trainee"].id, "pathway": "test-pathway"}, follow_redirects=True)
    assert b"already holds an active certificate" in again.data
    assert db.session.scalar(select(func.count(Certificate.id))) == 1


def test_issue_refused_when_not_eligible_names_what_is_missing(client, world, login_as, make):
    newcomer = make.user(org=world["org"], role="trainee")
    login_as(world["admin"])
    page = client.get(f"/competency/trainees/{newcomer.id}")
    assert b"Issue certificate" not in page.data
    response = client.post("/certificates/issue", data={
        "trainee_id": newcomer.id, "pathway": "test-pathway"}, follow_redirects=True)
    assert b"Not issued" in response.data and b"Module mod-a" in response.data
    assert db.session.scalar(select(func.count(Certificate.id))) == 0


def test_revoke_needs_a_reason_and_the_holder_sees_it(client, world, login_as, make):
    certificate = make.certificate(world["org"], world["trainee"], world["admin"])
    login_as(world["admin"])
    empty = client.post(f"/certificates/{certificate.id}/revoke", data={"reason": ""})
    assert empty.status_code == 422 and b"Give the reason for revoking." in empty.data
    assert db.session.get(Certificate, certificate.id).revoked_at is None
    done = client.post(f"/certificates/{certificate.id}/revoke",
                       data={"reason": "Issued in error"})
    assert done.status_code == 302
    assert b"Revoked" in client.get(f"/verify/{certificate.id}").data
    login_as(world["trainee"])
    mine = client.get("/certificates")
    assert b"ACME-000001" in mine.data and b"revoked" in mine.data
    detail = client.get(f"/certificates/{certificate.id}")
    assert b"Revoked on" in detail.data and b"Issued in error" not in detail.data
    assert b"Revoke certificate" not in detail.data


def test_holder_downloads_and_others_cannot(client, world, login_as, make, token_for):
    certificate = make.certificate(world["org"], world["trainee"], world["admin"])
    login_as(world["trainee"])
    assert client.get(f"/certificates/{certificate.id}/certificate.pdf").status_code == 200
    jwt_file = client.get(f"/certificates/{certificate.id}/credential.jwt")
    assert jwt_file.status_code == 200 and jwt_file.get_data(as_text=True).count(".") == 2
    assert "attachment" in jwt_file.headers["Content-Disposition"]
    outsider = make.user(org=make.org(), role="admin")
    login_as(outsider)
    assert client.get(f"/certificates/{certificate.id}").status_code == 404
    assert client.get(f"/certificates/{certificate.id}/certificate.pdf").status_code == 404
    client.post("/logout")
    by_token = client.get(f"/certificates/{certificate.id}/certificate.pdf",
                          headers=token_for(world["admin"]))
    assert by_token.status_code == 200
    assert client.get(f"/certificates/{certificate.id}/certificate.pdf",
                      headers=token_for(outsider)).status_code == 404
    assert client.get(f"/certificates/{certificate.id}/certificate.pdf",
                      headers={"Authorization": "Bearer nope"}).status_code == 401


def test_renewal_links_the_new_certificate_to_the_old(client, world, login_as, make):
    old = make.certificate(world["org"], world["trainee"], world["admin"])
    login_as(world["admin"])
    early = client.post(f"/certificates/{old.id}/renew", follow_redirects=True)
    assert b"within 90 days" in early.data
    db.session.get(Certificate, old.id).expires_at = utcnow() + timedelta(days=30)
    db.session.commit()
    listing = client.get("/certificates")
    assert b"Expiring within 90 days" in listing.data
    renewed = client.post(f"/certificates/{old.id}/renew")
    assert renewed.status_code == 302
    new = db.session.scalar(select(Certificate).where(Certificate.renews_id == old.id))
    assert new.serial == "ACME-000002" and new.expires_at > old.expires_at
    assert client.post(f"/certificates/{old.id}/renew",
                       follow_redirects=True).data.count(b"already been renewed") == 1
    login_as(world["trainee"])
    assert b"Expiring within 90 days" not in client.get("/certificates").data


def test_rotation_keeps_old_credentials_verifying(app, client, world, make, token_for):
    old = make.certificate(world["org"], world["trainee"], world["admin"])
    result = CliRunner().invoke(app.cli, ["orgs", "rotate-key", "--slug", "acme"])
    assert result.exit_code == 0 and "New signing key" in result.output
    db.session.expire_all()
    keys = db.session.scalars(select(SigningKey).order_by(SigningKey.id)).all()
    assert len(keys) == 2 and keys[0].retired_at is not None and keys[1].retired_at is None
    jwks = client.get("/.well-known/jwks.json").get_json()
    old_token = client.get(f"/api/v1/certificates/{old.id}/credential?format=jwt").get_data(
        as_text=True)
    assert independent.jwt_claims(old_token, jwks)["jti"] == f"urn:uuid:{old.id}"
    old_credential = client.get(f"/api/v1/certificates/{old.id}/credential").get_json()
    retired = independent.public_key_from_multibase(keys[0].public_key_multibase)
    assert independent.proof_verifies(old_credential, retired)
    db.session.get(Certificate, old.id).revoked_at = utcnow()
    db.session.get(Certificate, old.id).revocation_reason = "rotate test"
    db.session.commit()
    new = make.certificate(world["org"], world["trainee"], world["admin"])
    assert new.credential["proof"][0]["verificationMethod"].endswith(
        keys[1].public_key_multibase)
    failing = CliRunner().invoke(app.cli, ["orgs", "rotate-key", "--slug", "nope"])
    assert failing.exit_code == 1 and "Unknown organisation" in failing.output


def test_private_keys_are_encrypted_at_rest(app, world):
    key = current_key(world["org"].id)
    db.session.commit()
    raw = private_key(key).private_bytes_raw()
    assert raw.hex() not in key.private_key_encrypted and raw not in \
        key.private_key_encrypted.encode()
    app.config["SIGNING_KEY_SECRET"] = "a different secret"
    with pytest.raises(KeyUnavailable):
        private_key(key)


def test_orgs_create_makes_a_signing_key(app, client):
    result = CliRunner().invoke(app.cli, ["orgs", "create", "--slug", "newco", "--name", "New"])
    assert result.exit_code == 0
    assert db.session.scalar(select(func.count(SigningKey.id))) == 1
    issuer = client.get("/issuers/newco").get_json()
    assert issuer["verificationMethod"][0]["publicKeyMultibase"].startswith("z6Mk")
    assert client.get("/issuers/nobody").status_code == 404


def test_public_pathway_and_competency_pages(client, world):
    page = client.get("/pathways/test-pathway")
    assert page.status_code == 200 and b"Certified IPT Practitioner" in page.data
    assert b"pass the knowledge check" in page.data
    assert client.get("/pathways/nope").status_code == 404
    assert client.get("/competencies/nope").status_code == 404


def test_the_verification_page_is_rate_limited(client, world, make):
    certificate = make.certificate(world["org"], world["trainee"], world["admin"])
    statuses = [client.get(f"/verify/{certificate.id}").status_code for _ in range(61)]
    assert statuses[:60] == [200] * 60 and statuses[60] == 429
    assert client.get(f"/api/v1/verify/{certificate.id}").status_code == 200


def test_the_competency_framework_page_has_an_anchor_per_competency(client, world):
    from trainer.content.services import DEFAULT_PATHS, sync_content

    sync_content(list(DEFAULT_PATHS))
    db.session.commit()
    page = client.get("/competencies/ipt-core")
    assert page.status_code == 200 and b'id="assessment-inventory"' in page.data


def test_out_of_range_trainee_ids_are_refused_cleanly(client, world, login_as, token_for):
    login_as(world["admin"])
    page = client.post("/certificates/issue", data={"trainee_id": "9" * 25,
                                                    "pathway": "test-pathway"},
                       follow_redirects=True)
    assert page.status_code == 200 and b"Not issued" in page.data
    api = client.post("/api/v1/certificates", headers=token_for(world["admin"]),
                      json={"trainee_id": 10**30, "pathway_id": "test-pathway"})
    assert api.status_code == 422
