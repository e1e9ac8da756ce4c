"""A realistic Open Badges 3.0 credential as api.md describes it, and the test issuer's key."""

import hashlib
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from trainer.credentials.loader import OB_V3_CONTEXT, VC_V2_CONTEXT

BASE_URL = "https://trainer.example.org"
ISSUER_ID = f"{BASE_URL}/issuers/north-ipt"
STATUS_LIST = f"{ISSUER_ID}/status/revocation"
CREDENTIAL_ID = "urn:uuid:6f1c2d0e-3b7a-4c59-9a51-0d7e8c2b4f10"
HOLDER_EMAIL = "ada.trainee@example.org"
SALT = "3f9a1c7e5b2d4a60"
CREATED = "2025-03-01T09:00:05Z"


def issuer_key() -> Ed25519PrivateKey:
    """A fixed test key, so failures reproduce."""
    return Ed25519PrivateKey.from_private_bytes(hashlib.sha256(b"north-ipt test key").digest())


def identity_hash(email: str, salt: str) -> str:
    """An OB 3.0 IdentityHash: sha256 over the identifier followed by the salt."""
    return "sha256$" + hashlib.sha256((email + salt).encode("utf-8")).hexdigest()


def open_badge_credential() -> dict[str, Any]:
    """An unsigned OpenBadgeCredential for a completed IPT pathway."""
    return {
        "@context": [VC_V2_CONTEXT, OB_V3_CONTEXT],
        "id": CREDENTIAL_ID,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "IPT Practitioner (Level 1)",
        "description": "Certificate of competence in Interpersonal Psychotherapy.",
        "validFrom": "2025-03-01T09:00:00Z",
        "validUntil": "2028-03-01T09:00:00Z",
        "issuer": {
            "id": ISSUER_ID,
            "type": ["Profile"],
            "name": "North IPT Training Centre",
            "url": "https://north-ipt.example.org",
        },
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityHash": identity_hash(HOLDER_EMAIL, SALT),
                    "identityType": "emailAddress",
                    "hashed": True,
                    "salt": SALT,
                }
            ],
            "achievement": _achievement(),
        },
        "credentialStatus": {
            "id": f"{STATUS_LIST}#94567",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": "94567",
            "statusListCredential": STATUS_LIST,
        },
    }


def _achievement() -> dict[str, Any]:
    return {
        "id": f"{BASE_URL}/pathways/ipt-practitioner-1",
        "type": ["Achievement"],
        "name": "IPT Practitioner (Level 1)",
        "description": "Delivers IPT for depression to adults under supervision.",
        "criteria": {
            "narrative": (
                "Completed the IPT foundations modules; rated competent on four supervised "
                "recordings; passed the formulation vignettes."
            )
        },
        "alignment": [
            _alignment("Interpersonal formulation", "formulation"),
            _alignment("Managing the therapeutic relationship", "relationship"),
        ],
    }


def _alignment(name: str, competency: str) -> dict[str, Any]:
    return {
        "type": ["Alignment"],
        "targetName": name,
        "targetUrl": f"{BASE_URL}/competencies/ipt-core#{competency}",
        "targetType": "ext:IPTCompetency",
    }
