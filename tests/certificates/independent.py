"""Verification done without the issuing code: pyld for RDF canonicalisation, `cryptography`
for Ed25519, PyJWT for the VC-JWT, jsonschema for the 1EdTech schema. Only the context files
are shared with the app (read from disk here, as a verifier would have its own copies)."""

import base64
import copy
import hashlib
import json
from pathlib import Path

import base58
import jwt
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from jsonschema import Draft201909Validator
from pyld import jsonld

ROOT = Path(__file__).resolve().parents[2]
CONTEXT_FILES = {
    "https://www.w3.org/ns/credentials/v2": ROOT / "trainer/credentials/contexts/"
                                            "credentials-v2.jsonld",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json":
        ROOT / "trainer/credentials/contexts/ob-context-3.0.3.json",
}
SCHEMA = ROOT / "tests/credentials/schemas/ob_v3p0_achievementcredential_schema.json"


def _loader(url, options=None):
    if url not in CONTEXT_FILES:
        raise ValueError(f"refusing to fetch {url}")
    return {"contextUrl": None, "documentUrl": url,
            "document": json.loads(CONTEXT_FILES[url].read_text())}


def _canon(document: dict) -> bytes:
    return jsonld.normalize(document, {"algorithm": "URDNA2015",
                                       "format": "application/n-quads",
                                       "documentLoader": _loader}).encode()


def public_key_from_multibase(value: str) -> Ed25519PublicKey:
    raw = base58.b58decode(value[1:])
    assert value[0] == "z" and raw[:2] == b"\xed\x01"
    return Ed25519PublicKey.from_public_bytes(raw[2:])


def proof_verifies(credential: dict, public_key: Ed25519PublicKey) -> bool:
    """eddsa-rdfc-2022 (W3C vc-di-eddsa §3.2): sign(sha256(proof config) + sha256(doc))."""
    document = copy.deepcopy(credential)
    proofs = document.pop("proof")
    proof = dict(proofs[0] if isinstance(proofs, list) else proofs)
    value = proof.pop("proofValue")
    proof["@context"] = document["@context"]
    data = hashlib.sha256(_canon(proof)).digest() + hashlib.sha256(_canon(document)).digest()
    try:
        public_key.verify(base58.b58decode(value[1:]), data)
    except InvalidSignature:
        return False
    return value.startswith("z")


def jwt_claims(token: str, jwks: dict) -> dict:
    """The VC-JWT's claims, verified with the key the JWKS names by its kid."""
    kid = jwt.get_unverified_header(token)["kid"]
    jwk = next(k for k in jwks["keys"] if k["kid"] == kid)
    key = jwt.PyJWK(jwk).key
    return jwt.decode(token, key=key, algorithms=["EdDSA"],
                      options={"verify_aud": False})


def schema_errors(credential: dict) -> list[str]:
    schema = json.loads(SCHEMA.read_text())
    return [e.message for e in Draft201909Validator(schema).iter_errors(credential)]


def bit_is_set(encoded_list: str, index: int) -> bool:
    """Bitstring Status List: multibase `u` base64url, GZIP, bit 0 = first byte's MSB."""
    import gzip

    assert encoded_list[0] == "u"
    raw = encoded_list[1:]
    bits = gzip.decompress(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
    return bool(bits[index // 8] & (0x80 >> (index % 8)))
