"""The signed credential passes 1EdTech's AchievementCredential JSON Schema (draft 2019-09).

schemas/ob_v3p0_achievementcredential_schema.json is the VC 2.0 (Open Badges 3.0 final)
schema published by 1EdTech, `$id` .../ob/v3p0/schema/json-ld/ob_v3p0_achievementcredential_
schema.json, as vendored in rollercoaster-dev/openbadges-types (schemas/v3/). It is read from
disk: nothing is fetched, and every `$ref` in it is local.
"""

import json

import pytest
from jsonschema import Draft201909Validator

from tests.credentials.conftest import SCHEMAS

SCHEMA = json.loads(
    (SCHEMAS / "ob_v3p0_achievementcredential_schema.json").read_text(encoding="utf-8")
)


@pytest.fixture(scope="module")
def validator() -> Draft201909Validator:
    Draft201909Validator.check_schema(SCHEMA)
    return Draft201909Validator(SCHEMA, format_checker=Draft201909Validator.FORMAT_CHECKER)


def test_signed_credential_passes_the_schema(validator, signed_credential):
    errors = [error.message for error in validator.iter_errors(signed_credential)]
    assert errors == []


@pytest.mark.parametrize("field", ["validFrom", "issuer", "credentialSubject", "id"])
def test_a_credential_without_a_required_field_fails(validator, signed_credential, field):
    del signed_credential[field]
    assert not validator.is_valid(signed_credential)


@pytest.mark.parametrize("field", ["hashed", "identityHash", "identityType", "type"])
def test_an_identity_object_without_a_required_field_fails(validator, signed_credential, field):
    del signed_credential["credentialSubject"]["identifier"][0][field]
    assert not validator.is_valid(signed_credential)


def test_an_alignment_without_target_url_fails(validator, signed_credential):
    del signed_credential["credentialSubject"]["achievement"]["alignment"][0]["targetUrl"]
    assert not validator.is_valid(signed_credential)


def test_a_proof_given_as_a_single_object_fails_the_schema(validator, signed_credential):
    # Why the package always writes `proof` as an array.
    signed_credential["proof"] = signed_credential["proof"][0]
    assert not validator.is_valid(signed_credential)
