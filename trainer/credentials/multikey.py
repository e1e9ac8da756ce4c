"""Ed25519 keys as Multikey (`z6Mk...`), as public JWKs, and as raw 32-byte private keys."""

import base64
from collections.abc import Mapping

import base58
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

# Multicodec prefixes (unsigned varints): ed25519-pub 0xed, ed25519-priv 0x1300.
ED25519_PUB_PREFIX = b"\xed\x01"
ED25519_PRIV_PREFIX = b"\x80\x26"
BASE58BTC = "z"
KEY_LENGTH = 32


def generate_private_key() -> Ed25519PrivateKey:
    """A new random Ed25519 signing key."""
    return Ed25519PrivateKey.generate()


def private_key_to_bytes(private_key: Ed25519PrivateKey) -> bytes:
    """The 32-byte raw seed of a private key, for storage (encrypt it at rest)."""
    return private_key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())


def private_key_from_bytes(raw: bytes) -> Ed25519PrivateKey:
    """Load a private key from its 32-byte raw seed."""
    if len(raw) != KEY_LENGTH:
        raise ValueError(f"an Ed25519 private key is {KEY_LENGTH} bytes, got {len(raw)}")
    return Ed25519PrivateKey.from_private_bytes(raw)


def public_key_bytes(public_key: Ed25519PublicKey) -> bytes:
    """The 32 raw bytes of a public key."""
    return public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def public_key_to_multibase(public_key: Ed25519PublicKey) -> str:
    """`publicKeyMultibase` of a Multikey: `z` + base58btc(0xed 0x01 + key), i.e. `z6Mk...`."""
    return _multibase(ED25519_PUB_PREFIX, public_key_bytes(public_key))


def public_key_from_multibase(value: str) -> Ed25519PublicKey:
    """Load a public key from a Multikey `publicKeyMultibase` value."""
    return Ed25519PublicKey.from_public_bytes(_unmultibase(value, ED25519_PUB_PREFIX))


def private_key_to_multibase(private_key: Ed25519PrivateKey) -> str:
    """`secretKeyMultibase`: `z` + base58btc(0x80 0x26 + seed), as in the W3C test vectors."""
    return _multibase(ED25519_PRIV_PREFIX, private_key_to_bytes(private_key))


def private_key_from_multibase(value: str) -> Ed25519PrivateKey:
    """Load a private key from a `secretKeyMultibase` value."""
    return private_key_from_bytes(_unmultibase(value, ED25519_PRIV_PREFIX))


def public_key_to_jwk(public_key: Ed25519PublicKey, kid: str | None = None) -> dict[str, str]:
    """The public JWK (RFC 8037): kty OKP, crv Ed25519, x base64url without padding."""
    jwk = {"kty": "OKP", "crv": "Ed25519", "x": _b64url(public_key_bytes(public_key))}
    if kid is not None:
        jwk["kid"] = kid
    return jwk


def public_key_from_jwk(jwk: Mapping[str, str]) -> Ed25519PublicKey:
    """Load a public key from an OKP/Ed25519 JWK."""
    if jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519":
        raise ValueError("not an Ed25519 JWK (kty OKP, crv Ed25519)")
    raw = base64.urlsafe_b64decode(jwk["x"] + "=" * (-len(jwk["x"]) % 4))
    if len(raw) != KEY_LENGTH:
        raise ValueError(f"an Ed25519 public key is {KEY_LENGTH} bytes, got {len(raw)}")
    return Ed25519PublicKey.from_public_bytes(raw)


def _multibase(prefix: bytes, raw: bytes) -> str:
    return BASE58BTC + base58.b58encode(prefix + raw).decode("ascii")


def _unmultibase(value: str, prefix: bytes) -> bytes:
    if not value.startswith(BASE58BTC):
        raise ValueError("expected a base58btc multibase value (leading 'z')")
    try:
        decoded = base58.b58decode(value[1:])
    except ValueError as error:
        raise ValueError("invalid base58btc in multibase value") from error
    if not decoded.startswith(prefix) or len(decoded) != len(prefix) + KEY_LENGTH:
        raise ValueError(f"expected multicodec prefix {prefix.hex()} and a {KEY_LENGTH}-byte key")
    return decoded[len(prefix) :]


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")
