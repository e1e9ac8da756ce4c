"""VC-JWT: a credential secured as a JWS (alg EdDSA) whose claims carry it under `vc`."""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

ALGORITHM = "EdDSA"
REQUIRED_CLAIMS = ["iss", "sub", "jti", "nbf", "vc"]


def encode(
    credential: Mapping[str, Any],
    private_key: Ed25519PrivateKey,
    kid: str,
    nbf: datetime | int,
    exp: datetime | int | None = None,
) -> str:
    """Sign `credential` (its embedded `proof` left out) as a compact JWT.

    Header: alg EdDSA, typ JWT, kid (the verification method URL). Claims: iss (issuer id),
    sub (credentialSubject id, else the credential id), jti (credential id), nbf, exp when
    given, and vc.
    """
    vc = {key: value for key, value in credential.items() if key != "proof"}
    claims: dict[str, Any] = {
        "iss": issuer_id(vc),
        "sub": subject_id(vc),
        "jti": vc["id"],
        "nbf": nbf,
        "vc": vc,
    }
    if exp is not None:
        claims["exp"] = exp
    headers = {"alg": ALGORITHM, "typ": "JWT", "kid": kid}
    return jwt.encode(claims, private_key, algorithm=ALGORITHM, headers=headers)


def decode(token: str, public_key: Ed25519PublicKey, *, leeway: int = 0) -> dict[str, Any]:
    """Verify the signature, nbf and exp of `token`; return its claims (the credential is `vc`).

    Raises jwt.InvalidTokenError (or a subclass) when the token does not verify.
    """
    return jwt.decode(
        token,
        public_key,
        algorithms=[ALGORITHM],
        options={"require": REQUIRED_CLAIMS},
        leeway=leeway,
    )


def issuer_id(credential: Mapping[str, Any]) -> str:
    """The issuer's id, whether `issuer` is a URL or a Profile object."""
    issuer = credential["issuer"]
    return issuer if isinstance(issuer, str) else issuer["id"]


def subject_id(credential: Mapping[str, Any]) -> str:
    """The (first) credentialSubject's id, or the credential's own id when it has none."""
    subject = credential.get("credentialSubject")
    if isinstance(subject, list):
        subject = subject[0] if subject else None
    if isinstance(subject, Mapping) and subject.get("id"):
        return subject["id"]
    return credential["id"]
