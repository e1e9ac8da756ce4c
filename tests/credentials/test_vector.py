"""The W3C vc-di-eddsa test vector for eddsa-rdfc-2022 (the "alumni" credential).

Source: W3C Recommendation "Data Integrity EdDSA Cryptosuites v1.0" (15 May 2025), Appendix
B.1 "Representation: eddsa-rdfc-2022", Examples 7-17. `signed-repo-testvectors.json` is the
same credential from the w3c/vc-di-eddsa repository's TestVectors/eddsa-rdfc-2022/, whose
proof names an https verification method instead of did:key. Ed25519 is deterministic, so
signing the vector again must give its proofValue exactly.
"""

import hashlib
import json

import pytest

from tests.credentials.conftest import VECTORS
from trainer.credentials import integrity, multikey
from trainer.credentials.loader import default_loader

VECTOR = VECTORS / "eddsa-rdfc-2022"
EXAMPLES_CONTEXT = "https://www.w3.org/ns/credentials/examples/v2"
# The examples context is test-only: the package loader must never know it.
vector_loader = default_loader.extended(
    {EXAMPLES_CONTEXT: VECTORS / "contexts" / "credentials-examples-v2.jsonld"}
)


def _text(name: str) -> str:
    return (VECTOR / name).read_text(encoding="utf-8")


def _json(name: str) -> dict:
    return json.loads(_text(name))


def _key_pair():
    keys = _json("key-pair.json")
    private_key = multikey.private_key_from_multibase(keys["secretKeyMultibase"])
    return private_key, keys["publicKeyMultibase"]


def test_the_key_pair_matches_its_multikey():
    private_key, public_multibase = _key_pair()
    assert multikey.public_key_to_multibase(private_key.public_key()) == public_multibase


def test_canonical_document_and_its_hash():
    canonical = integrity.canonicalize(_json("unsigned.json"), loader=vector_loader)
    assert canonical == _text("canonical-document.nq")
    assert hashlib.sha256(canonical.encode()).hexdigest() == _text("document-hash.txt")


def test_canonical_proof_options_and_their_hash():
    options = _json("proof-options.json")
    canonical = integrity.canonical_proof_config(options, options, loader=vector_loader)
    assert canonical == _text("canonical-proof-options.nq")
    assert hashlib.sha256(canonical.encode()).hexdigest() == _text("proof-options-hash.txt")


def test_combined_hash_and_signature():
    private_key, _ = _key_pair()
    digest = integrity.hash_data(
        _text("canonical-document.nq"), _text("canonical-proof-options.nq")
    )
    assert digest.hex() == _text("combined-hash.txt")
    assert private_key.sign(digest).hex() == _text("signature.hex")


@pytest.mark.parametrize("signed_file", ["signed.json", "signed-repo-testvectors.json"])
def test_signing_reproduces_the_proof_value(signed_file):
    private_key, _ = _key_pair()
    expected = _json(signed_file)
    proof = expected["proof"]
    signed = integrity.sign(
        _json("unsigned.json"),
        private_key,
        proof["verificationMethod"],
        proof["created"],
        loader=vector_loader,
    )
    assert signed["proof"] == [proof]


def test_the_rec_proof_value_is_the_published_one():
    assert _json("signed.json")["proof"]["proofValue"] == _text("proof-value.txt")


@pytest.mark.parametrize("signed_file", ["signed.json", "signed-repo-testvectors.json"])
def test_the_signed_vector_verifies(signed_file):
    _, public_multibase = _key_pair()
    public_key = multikey.public_key_from_multibase(public_multibase)
    assert integrity.verify(_json(signed_file), public_key, loader=vector_loader)


def test_the_signed_vector_with_a_changed_claim_fails():
    _, public_multibase = _key_pair()
    signed = _json("signed.json")
    signed["credentialSubject"]["alumniOf"] = "The School of Hard Knocks"
    public_key = multikey.public_key_from_multibase(public_multibase)
    assert not integrity.verify(signed, public_key, loader=vector_loader)


def test_the_package_loader_does_not_know_the_examples_context():
    public_key = multikey.public_key_from_multibase(_key_pair()[1])
    assert not integrity.verify(_json("signed.json"), public_key)
