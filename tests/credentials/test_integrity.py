"""eddsa-rdfc-2022 Data Integrity proofs on a realistic OpenBadgeCredential."""

import copy
from datetime import UTC, datetime

import pytest

from tests.credentials import samples
from trainer.credentials import integrity, multikey
from trainer.credentials.loader import UnknownDocumentError


def test_signed_credential_has_one_proof_in_an_array(signed_credential, verification_method):
    (proof,) = signed_credential["proof"]
    assert proof["type"] == "DataIntegrityProof"
    assert proof["cryptosuite"] == "eddsa-rdfc-2022"
    assert proof["created"] == samples.CREATED
    assert proof["verificationMethod"] == verification_method
    assert proof["proofPurpose"] == "assertionMethod"
    assert proof["proofValue"].startswith("z")


def test_signed_credential_verifies_with_the_issuer_key(signed_credential):
    assert integrity.verify(signed_credential, samples.issuer_key().public_key())


def test_sign_leaves_the_input_untouched(unsigned_credential, verification_method):
    before = copy.deepcopy(unsigned_credential)
    integrity.sign(unsigned_credential, samples.issuer_key(), verification_method, samples.CREATED)
    assert unsigned_credential == before


def test_sign_accepts_an_aware_datetime(unsigned_credential, verification_method):
    created = datetime(2025, 3, 1, 10, 0, 5, 123456, tzinfo=UTC)
    signed = integrity.sign(unsigned_credential, samples.issuer_key(), verification_method, created)
    assert signed["proof"][0]["created"] == "2025-03-01T10:00:05Z"


def test_sign_rejects_a_naive_datetime(unsigned_credential, verification_method):
    with pytest.raises(ValueError, match="timezone"):
        integrity.sign(
            unsigned_credential, samples.issuer_key(), verification_method, datetime(2025, 3, 1)
        )


def test_another_key_does_not_verify(signed_credential):
    other = multikey.generate_private_key().public_key()
    assert not integrity.verify(signed_credential, other)


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("name",), "IPT Supervisor"),
        (("validUntil",), "2099-01-01T00:00:00Z"),
        (("issuer", "name"), "Someone Else"),
        (("credentialSubject", "achievement", "name"), "IPT Trainer"),
        (("credentialStatus", "statusListIndex"), "1"),
    ],
)
def test_changing_a_signed_field_fails_verification(signed_credential, path, value):
    target = signed_credential
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    assert not integrity.verify(signed_credential, samples.issuer_key().public_key())


def test_changing_the_identity_hash_fails_verification(signed_credential):
    identity = signed_credential["credentialSubject"]["identifier"][0]
    identity["identityHash"] = samples.identity_hash("mallory@example.org", samples.SALT)
    assert not integrity.verify(signed_credential, samples.issuer_key().public_key())


def test_changing_the_proof_options_fails_verification(signed_credential):
    signed_credential["proof"][0]["created"] = "2030-01-01T00:00:00Z"
    assert not integrity.verify(signed_credential, samples.issuer_key().public_key())


def test_an_added_undefined_claim_does_not_verify(signed_credential):
    # Expansion would drop it, so the signature alone would still match: verify refuses it.
    signed_credential["credentialSubject"]["grade"] = "A+"
    assert not integrity.verify(signed_credential, samples.issuer_key().public_key())


def test_verify_leaves_the_document_untouched(signed_credential):
    before = copy.deepcopy(signed_credential)
    integrity.verify(signed_credential, samples.issuer_key().public_key())
    assert signed_credential == before


def test_verify_accepts_a_proof_given_as_a_single_object(signed_credential):
    signed_credential["proof"] = signed_credential["proof"][0]
    assert integrity.verify(signed_credential, samples.issuer_key().public_key())


@pytest.mark.parametrize(
    "proof_value",
    ["", "not-multibase", "z0OIl", "z" + "1" * 10, None],
)
def test_a_malformed_proof_value_does_not_verify(signed_credential, proof_value):
    signed_credential["proof"][0]["proofValue"] = proof_value
    assert not integrity.verify(signed_credential, samples.issuer_key().public_key())


def test_a_document_without_proof_does_not_verify(unsigned_credential):
    assert not integrity.verify(unsigned_credential, samples.issuer_key().public_key())


def test_signing_again_adds_a_second_proof_to_the_set(signed_credential, verification_method):
    other = multikey.generate_private_key()
    twice = integrity.sign(signed_credential, other, verification_method, samples.CREATED)
    assert len(twice["proof"]) == 2
    assert integrity.verify(twice, samples.issuer_key().public_key())
    assert integrity.verify(twice, other.public_key())


def test_sign_refuses_an_undefined_claim(unsigned_credential, verification_method):
    unsigned_credential["credentialSubject"]["favouriteColour"] = "x"
    with pytest.raises(ValueError, match=r"\$\.credentialSubject\.favouriteColour"):
        integrity.sign(
            unsigned_credential, samples.issuer_key(), verification_method, samples.CREATED
        )


def test_an_unknown_context_is_refused_not_fetched(unsigned_credential, verification_method):
    unsigned_credential["@context"].append("https://example.org/my-context.jsonld")
    with pytest.raises(UnknownDocumentError, match="never fetched"):
        integrity.sign(
            unsigned_credential, samples.issuer_key(), verification_method, samples.CREATED
        )
