"""Organisations' Ed25519 signing keys: created with the organisation, the private half
encrypted at rest (Fernet, with a key from SIGNING_KEY_SECRET or derived from SECRET_KEY),
rotated on demand; retired keys stay published."""

from cryptography.fernet import InvalidToken
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from flask import current_app
from sqlalchemy import select

from trainer.audit.services import record
from trainer.certificates.models import SigningKey
from trainer.credentials import multikey
from trainer.encryption import fernet
from trainer.extensions import db
from trainer.timeutil import utcnow

_RAW = (serialization.Encoding.Raw, serialization.PublicFormat.Raw)


class KeyUnavailable(RuntimeError):
    """The stored private key cannot be decrypted with the configured secret."""


def _fernet():
    """The key-encryption key, derived from SIGNING_KEY_SECRET (else SECRET_KEY)."""
    secret = current_app.config.get("SIGNING_KEY_SECRET") or current_app.config["SECRET_KEY"]
    return fernet(secret, b"ipt-trainer organisation signing keys")


def create_key(organisation_id: int) -> SigningKey:
    """A new current key for the organisation (flushed, not committed)."""
    private = Ed25519PrivateKey.generate()
    public = private.public_key().public_bytes(*_RAW)
    raw_private = private.private_bytes(serialization.Encoding.Raw,
                                        serialization.PrivateFormat.Raw,
                                        serialization.NoEncryption())
    key = SigningKey(organisation_id=organisation_id, public_key=public,
                     public_key_multibase=multikey.public_key_to_multibase(private.public_key()),
                     private_key_encrypted=_fernet().encrypt(raw_private).decode())
    db.session.add(key)
    db.session.flush()
    return key


def current_key(organisation_id: int) -> SigningKey:
    """The organisation's key in use (made now for an organisation created before keys)."""
    key = db.session.scalar(select(SigningKey).where(
        SigningKey.organisation_id == organisation_id, SigningKey.retired_at.is_(None))
        .order_by(SigningKey.id.desc()).limit(1))
    return key or create_key(organisation_id)


def rotate_key(actor, organisation_id: int) -> SigningKey:
    """Retire the current key and make a new one; credentials signed before keep verifying
    under the retired key, which stays published."""
    old = current_key(organisation_id)
    old.retired_at = utcnow()
    new = create_key(organisation_id)
    record(actor, "signing_key.rotated", organisation_id=organisation_id, target=new,
           retired=old.public_key_multibase, current=new.public_key_multibase)
    return new


def private_key(key: SigningKey) -> Ed25519PrivateKey:
    """The decrypted private key; KeyUnavailable when the secret has changed."""
    try:
        raw = _fernet().decrypt(key.private_key_encrypted.encode())
    except InvalidToken as error:
        raise KeyUnavailable(
            "The signing key cannot be decrypted: SIGNING_KEY_SECRET (or SECRET_KEY) is not "
            "the one it was created with.") from error
    return Ed25519PrivateKey.from_private_bytes(raw)
