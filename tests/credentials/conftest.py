"""Fixtures for the credential tests: none of them needs the Flask app."""

import copy
from pathlib import Path

import pytest

from tests.credentials import samples
from trainer.credentials import integrity, multikey

VECTORS = Path(__file__).parent / "vectors"
SCHEMAS = Path(__file__).parent / "schemas"


@pytest.fixture(scope="session")
def verification_method() -> str:
    public = multikey.public_key_to_multibase(samples.issuer_key().public_key())
    return f"{samples.ISSUER_ID}#{public}"


@pytest.fixture(scope="session")
def _signed_once(verification_method):
    return integrity.sign(
        samples.open_badge_credential(),
        samples.issuer_key(),
        verification_method,
        samples.CREATED,
    )


@pytest.fixture
def signed_credential(_signed_once) -> dict:
    """The sample credential signed once per session; each test gets its own copy."""
    return copy.deepcopy(_signed_once)


@pytest.fixture
def unsigned_credential() -> dict:
    return samples.open_badge_credential()
