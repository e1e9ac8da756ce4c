"""Issuing, verifying and revoking certificates through the API, and the credential checked
with independent tools."""

import copy
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.certificates import independent
from trainer.audit.models import AuditEntry
from trainer.certificates.models import Certificate
from trainer.extensions import db
from trainer.timeutil import utcnow


@pytest.fixture
def world(make):
    org = make.org(slug="acme", name="Acme IPT Institute")
    admin = make.user(org=org, role="admin", name="Ada Admin")
    trainee = make.user(org=org, role="trainee", name="Tia Trainee", email="tia@example.org")
    other = make.user(org=org, role="trainee", name="Otto Other")
    module = make.module("mod-a")
    make.pathway()
    make.passed_module(org, trainee, module)
    return {"org": org, "admin": admin, "trainee": trainee, "other": other, "module": module,
            "make": make}


def issue(client, token, trainee, pathway="test-pathway"):
    return client.post("/api/v1/certificates", headers=token,
                       json={"trainee_id": trainee.id, "pathway_id": pathway})


def test_admin_issues_a_certificate_with_sequential_serials(client, world, token_for):
    response = issue(client, token_for(world["admin"]), world["trainee"])
    assert response.status_code == 201
    body = response.get_json()
    assert set(body) == {"id", "serial", "trainee_id", "holder", "pathway_id", "organisation",
                         "issued_at", "expires_at", "status", "verify_url", "pdf_url"}
    assert body["serial"] == "ACME-000001" and body["status"] == "active"
    assert body["holder"] == "Tia Trainee" and body["pathway_id"] == "test-pathway"
    assert len(body["id"]) == 36 and body["verify_url"].endswith(f"/verify/{body['id']}")
    assert body["expires_at"].startswith(str(int(body["issued_at"][:4]) + 3))
    world["make"].passed_module(world["org"], world["other"], world["module"])
    second = issue(client, token_for(world["admin"]), world["other"]).get_json()
    assert second["serial"] == "ACME-000002"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "certificate.issued"))
    assert entry.actor_id == world["admin"].id and entry.target_id == body["id"]


def test_not_eligible_is_409_with_the_unmet_list_and_writes_nothing(client, world, token_for):
    response = issue(client, token_for(world["admin"]), world["other"])
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "not_eligible"
    assert error["unmet"] == [{"id": "modules", "detail": error["unmet"][0]["detail"]}]
    assert "Module mod-a" in error["unmet"][0]["detail"]
    assert db.session.scalar(select(func.count(Certificate.id))) == 0


def test_bad_requests(client, world, token_for, make):
    admin = token_for(world["admin"])
    assert issue(client, admin, world["trainee"], "no-such-pathway").status_code == 422
    stranger = make.user(org=make.org(), role="trainee")
    assert issue(client, admin, stranger).status_code == 422
    assert client.post("/api/v1/certificates", headers=admin,
                       json={"trainee_id": "1", "pathway_id": 5}).status_code == 422
    assert client.post("/api/v1/certificates", headers=admin, json={}).status_code == 422
    assert issue(client, token_for(world["trainee"]), world["trainee"]).status_code == 403
    assert client.post("/api/v1/certificates", json={}).status_code == 401


def test_a_double_issue_is_a_conflict(client, world, token_for):
    admin = token_for(world["admin"])
    assert issue(client, admin, world["trainee"]).status_code == 201
    again = issue(client, admin, world["trainee"])
    assert again.status_code == 409 and "already holds" in again.get_json()["error"]["message"]
    assert db.session.scalar(select(func.count(Certificate.id))) == 1


def test_verify_then_revoke_flips_the_status(client, world, token_for):
    admin = token_for(world["admin"])
    body = issue(client, admin, world["trainee"]).get_json()
    verify = client.get(f"/api/v1/verify/{body['id']}").get_json()
    assert verify["valid"] is True and verify["status"] == "active"
    assert verify["holder"] == "Tia Trainee" and verify["organisation"] == "Acme IPT Institute"
    assert verify["revoked_at"] is None
    page = client.get(f"/verify/{body['id']}")
    assert page.status_code == 200 and b"Valid." in page.data

    missing = client.post(f"/api/v1/certificates/{body['id']}/revoke", headers=admin,
                          json={"reason": "  "})
    assert missing.status_code == 422 and "reason" in missing.get_json()["error"]["fields"]
    assert client.post(f"/api/v1/certificates/{body['id']}/revoke",
                       headers=token_for(world["trainee"]),
                       json={"reason": "x"}).status_code == 403
    revoked = client.post(f"/api/v1/certificates/{body['id']}/revoke", headers=admin,
                          json={"reason": "Falsified session logs"})
    assert revoked.status_code == 200 and revoked.get_json()["status"] == "revoked"
    verify = client.get(f"/api/v1/verify/{body['id']}").get_json()
    assert verify["valid"] is False and verify["status"] == "revoked"
    assert verify["revoked_at"] is not None and "Falsified" not in str(verify)
    page = client.get(f"/verify/{body['id']}")
    assert b"Revoked" in page.data and b"Falsified" not in page.data
    assert client.post(f"/api/v1/certificates/{body['id']}/revoke", headers=admin,
                       json={"reason": "again"}).status_code == 409
    assert db.session.scalar(select(AuditEntry.details).where(
        AuditEntry.action == "certificate.revoked"))["reason"] == "Falsified session logs"


def test_unknown_and_other_organisations_certificates(client, world, token_for, make):
    body = issue(client, token_for(world["admin"]), world["trainee"]).get_json()
    assert client.get("/api/v1/verify/00000000-0000-4000-8000-000000000000").status_code == 404
    assert client.get("/api/v1/verify/not-a-uuid").status_code == 404
    assert client.get("/verify/00000000-0000-4000-8000-000000000000").status_code == 404
    outsider = make.user(org=make.org(), role="admin")
    assert client.get(f"/api/v1/certificates/{body['id']}",
                      headers=token_for(outsider)).status_code == 404
    assert client.post(f"/api/v1/certificates/{body['id']}/revoke", headers=token_for(outsider),
                       json={"reason": "x"}).status_code == 404
    holder = client.get(f"/api/v1/certificates/{body['id']}", headers=token_for(world["trainee"]))
    assert holder.status_code == 200 and holder.get_json()["serial"] == "ACME-000001"


def test_expired_certificate_verifies_as_expired(client, world, token_for):
    body = issue(client, token_for(world["admin"]), world["trainee"]).get_json()
    certificate = db.session.get(Certificate, body["id"])
    certificate.expires_at = utcnow() - timedelta(days=1)
    db.session.commit()
    verify = client.get(f"/api/v1/verify/{body['id']}").get_json()
    assert verify["status"] == "expired" and verify["valid"] is False


# --- the credential, checked independently ---------------------------------------------------


def test_the_credential_proof_verifies_and_fails_when_tampered(client, world, token_for):
    body = issue(client, token_for(world["admin"]), world["trainee"]).get_json()
    response = client.get(f"/api/v1/certificates/{body['id']}/credential")
    assert response.status_code == 200 and response.mimetype == "application/vc+ld+json"
    credential = response.get_json()
    assert credential["id"] == f"urn:uuid:{body['id']}"
    proof = credential["proof"][0]
    assert proof["cryptosuite"] == "eddsa-rdfc-2022"
    assert proof["proofPurpose"] == "assertionMethod"
    issuer = client.get("/issuers/acme").get_json()
    method = next(m for m in issuer["verificationMethod"]
                  if m["id"] == proof["verificationMethod"])
    key = independent.public_key_from_multibase(method["publicKeyMultibase"])
    assert independent.proof_verifies(credential, key)
    tampered = copy.deepcopy(credential)
    tampered["credentialSubject"]["achievement"]["name"] = "Certified IPT Supervisor"
    assert not independent.proof_verifies(tampered, key)
    assert independent.schema_errors(credential) == []
    assert "tia@example.org" not in str(credential)


def test_the_vc_jwt_verifies_against_the_served_jwks(client, world, token_for):
    import jwt

    body = issue(client, token_for(world["admin"]), world["trainee"]).get_json()
    response = client.get(f"/api/v1/certificates/{body['id']}/credential?format=jwt")
    assert response.mimetype == "application/jwt"
    token = response.get_data(as_text=True)
    jwks = client.get("/.well-known/jwks.json").get_json()
    assert all(set(k) == {"kty", "crv", "x", "kid", "alg", "use"} for k in jwks["keys"])
    claims = independent.jwt_claims(token, jwks)
    assert claims["jti"] == f"urn:uuid:{body['id']}"
    assert claims["iss"].endswith("/issuers/acme") and "proof" not in claims["vc"]
    assert claims["exp"] > claims["nbf"]
    header = jwt.get_unverified_header(token)
    assert header["alg"] == "EdDSA" and header["typ"] == "JWT"
    head, payload, signature = token.split(".")
    forged = payload[:-4] + ("AAAA" if payload[-4:] != "AAAA" else "BBBB")
    with pytest.raises(jwt.InvalidTokenError):
        independent.jwt_claims(".".join([head, forged, signature]), jwks)


def test_the_status_list_sets_the_bit_on_revocation(client, world, token_for):
    admin = token_for(world["admin"])
    body = issue(client, admin, world["trainee"]).get_json()
    credential = client.get(f"/api/v1/certificates/{body['id']}/credential").get_json()
    entry = credential["credentialStatus"]
    assert entry["type"] == "BitstringStatusListEntry"
    assert entry["statusListCredential"].endswith("/issuers/acme/status/revocation")
    index = int(entry["statusListIndex"])
    status_url = entry["statusListCredential"].removeprefix("http://localhost")
    before = client.get(status_url).get_json()
    assert not independent.bit_is_set(before["credentialSubject"]["encodedList"], index)
    client.post(f"/api/v1/certificates/{body['id']}/revoke", headers=admin,
                json={"reason": "Withdrawn"})
    after = client.get(status_url).get_json()
    assert independent.bit_is_set(after["credentialSubject"]["encodedList"], index)
    issuer = client.get("/issuers/acme").get_json()
    key = independent.public_key_from_multibase(
        issuer["verificationMethod"][-1]["publicKeyMultibase"])
    assert independent.proof_verifies(after, key)
