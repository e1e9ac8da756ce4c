"""Check `integrity.sign` with a verifier written here from the spec, not from the package.

vc-di-eddsa §3.2.2 (Verify Proof, eddsa-rdfc-2022), using pyld and cryptography directly:
drop `proof`; take each proof without `proofValue`, give it the document's `@context`;
canonicalise both with RDFC-1.0 (URDNA2015); hashData = SHA-256(proof config) followed by
SHA-256(document); Ed25519-verify the base58btc-decoded proofValue with the key decoded from
its Multikey. Contexts are read straight from the shipped files.
"""

import hashlib
import json
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pyld import jsonld

import trainer.credentials

CONTEXT_DIR = Path(trainer.credentials.__file__).parent / "contexts"
CONTEXT_FILES = {
    "https://www.w3.org/ns/credentials/v2": CONTEXT_DIR / "credentials-v2.jsonld",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": (
        CONTEXT_DIR / "ob-context-3.0.3.json"
    ),
}
BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def _load(url, options=None):
    document = json.loads(CONTEXT_FILES[url].read_text(encoding="utf-8"))
    return {"contextUrl": None, "documentUrl": url, "document": document}


def _base58btc(multibase: str) -> bytes:
    assert multibase.startswith("z")
    number = 0
    for char in multibase[1:]:
        number = number * 58 + BASE58_ALPHABET.index(char)
    body = number.to_bytes((number.bit_length() + 7) // 8, "big")
    leading_zeros = len(multibase[1:]) - len(multibase[1:].lstrip("1"))
    return b"\x00" * leading_zeros + body


def _rdfc(document: dict) -> bytes:
    options = {"algorithm": "URDNA2015", "format": "application/n-quads", "documentLoader": _load}
    return jsonld.normalize(document, options).encode("utf-8")


def independently_verify(secured: dict, public_multibase: str) -> bool:
    prefixed = _base58btc(public_multibase)
    assert prefixed[:2] == b"\xed\x01", "not an Ed25519 Multikey"
    public_key = Ed25519PublicKey.from_public_bytes(prefixed[2:])
    document = {key: value for key, value in secured.items() if key != "proof"}
    proofs = secured["proof"] if isinstance(secured["proof"], list) else [secured["proof"]]
    document_hash = hashlib.sha256(_rdfc(document)).digest()
    for proof in proofs:
        config = {key: value for key, value in proof.items() if key != "proofValue"}
        config["@context"] = document["@context"]
        hash_data = hashlib.sha256(_rdfc(config)).digest() + document_hash
        try:
            public_key.verify(_base58btc(proof["proofValue"]), hash_data)
        except InvalidSignature:
            return False
    return True


def _public_multibase(signed: dict) -> str:
    return signed["proof"][0]["verificationMethod"].split("#", 1)[1]


def test_the_independent_verifier_accepts_what_sign_produced(signed_credential):
    assert independently_verify(signed_credential, _public_multibase(signed_credential))


def test_the_independent_verifier_rejects_a_changed_credential(signed_credential):
    public = _public_multibase(signed_credential)
    signed_credential["credentialSubject"]["achievement"]["criteria"]["narrative"] = "Nothing."
    assert not independently_verify(signed_credential, public)


def test_the_independent_verifier_rejects_a_changed_proof(signed_credential):
    public = _public_multibase(signed_credential)
    signed_credential["proof"][0]["verificationMethod"] = "https://evil.example/keys#1"
    assert not independently_verify(signed_credential, public)
