"""Encryption at rest for small secrets (signing keys, TOTP secrets): Fernet with a key
derived by HKDF-SHA256 from a configured secret, one derivation per purpose."""

import base64

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


def fernet(secret: str, purpose: bytes) -> Fernet:
    """A Fernet key for one purpose (the HKDF `info`), so no two uses share a key."""
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                   info=purpose).derive(secret.encode())
    return Fernet(base64.urlsafe_b64encode(derived))
