"""VC-JWT: header, claims, verification with the JWK from jwks.json, and tampering."""

import base64
import json
from datetime import UTC, datetime, timedelta

import jwt
import pytest

from tests.credentials import samples
from trainer.credentials import multikey, vcjwt

NBF = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
EXP = datetime(2099, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def token(signed_credential, verification_method) -> str:
    return vcjwt.encode(signed_credential, samples.issuer_key(), verification_method, NBF, EXP)


def _jwk(verification_method: str) -> dict:
    return multikey.public_key_to_jwk(samples.issuer_key().public_key(), kid=verification_method)


def test_header_names_the_algorithm_and_key(token, verification_method):
    header = jwt.get_unverified_header(token)
    assert header == {"alg": "EdDSA", "typ": "JWT", "kid": verification_method}


def test_claims_carry_the_credential_without_its_proof(token, signed_credential):
    claims = vcjwt.decode(token, samples.issuer_key().public_key())
    assert claims["iss"] == samples.ISSUER_ID
    assert claims["sub"] == samples.CREDENTIAL_ID  # the subject has no id, only an identifier
    assert claims["jti"] == samples.CREDENTIAL_ID
    assert claims["nbf"] == int(NBF.timestamp())
    assert claims["exp"] == int(EXP.timestamp())
    del signed_credential["proof"]
    assert claims["vc"] == signed_credential


def test_sub_is_the_subject_id_when_there_is_one(unsigned_credential, verification_method):
    unsigned_credential["credentialSubject"]["id"] = "did:example:ada"
    token = vcjwt.encode(unsigned_credential, samples.issuer_key(), verification_method, NBF)
    claims = vcjwt.decode(token, samples.issuer_key().public_key())
    assert claims["sub"] == "did:example:ada"
    assert "exp" not in claims


def test_pyjwt_verifies_with_the_published_jwk(token, verification_method):
    key = jwt.PyJWK(_jwk(verification_method))
    claims = jwt.decode(token, key.key, algorithms=["EdDSA"])
    assert claims["jti"] == samples.CREDENTIAL_ID


def test_a_tampered_payload_fails(token):
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["vc"]["name"] = "IPT Supervisor"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    with pytest.raises(jwt.InvalidSignatureError):
        vcjwt.decode(f"{header}.{forged}.{signature}", samples.issuer_key().public_key())


def test_another_key_fails(token):
    with pytest.raises(jwt.InvalidSignatureError):
        vcjwt.decode(token, multikey.generate_private_key().public_key())


def test_an_expired_token_fails(signed_credential, verification_method):
    now = datetime.now(UTC)
    token = vcjwt.encode(
        signed_credential,
        samples.issuer_key(),
        verification_method,
        now - timedelta(days=2),
        now - timedelta(days=1),
    )
    with pytest.raises(jwt.ExpiredSignatureError):
        vcjwt.decode(token, samples.issuer_key().public_key())


def test_a_not_yet_valid_token_fails(signed_credential, verification_method):
    later = datetime.now(UTC) + timedelta(days=1)
    token = vcjwt.encode(signed_credential, samples.issuer_key(), verification_method, later)
    with pytest.raises(jwt.ImmatureSignatureError):
        vcjwt.decode(token, samples.issuer_key().public_key())


def test_issuer_may_be_a_plain_url():
    assert vcjwt.issuer_id({"issuer": "https://a.example/issuers/x"}) == (
        "https://a.example/issuers/x"
    )
