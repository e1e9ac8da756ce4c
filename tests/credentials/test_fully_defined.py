"""check_fully_defined: nothing in a credential may fall out of its signature."""

import pytest

from trainer.credentials import integrity


def test_the_sample_credential_is_fully_defined(unsigned_credential):
    integrity.check_fully_defined(unsigned_credential)


def test_the_proof_is_ignored(signed_credential):
    integrity.check_fully_defined(signed_credential)


@pytest.mark.parametrize(
    ("where", "key", "path"),
    [
        ((), "favouriteColour", r"\$\.favouriteColour"),
        (("credentialSubject",), "favouriteColour", r"\$\.credentialSubject\.favouriteColour"),
        (("issuer",), "motto", r"\$\.issuer\.motto"),
        (
            ("credentialSubject", "achievement", "criteria"),
            "passMark",
            r"\$\.credentialSubject\.achievement\.criteria\.passMark",
        ),
    ],
)
def test_an_undefined_key_is_named(unsigned_credential, where, key, path):
    target = unsigned_credential
    for step in where:
        target = target[step]
    target[key] = "x"
    with pytest.raises(ValueError, match=path + r" is not defined"):
        integrity.check_fully_defined(unsigned_credential)


def test_an_undefined_key_inside_a_list_item_is_named(unsigned_credential):
    alignment = unsigned_credential["credentialSubject"]["achievement"]["alignment"][1]
    alignment["weight"] = 3
    with pytest.raises(ValueError, match=r"alignment\[1\]\.weight is not defined"):
        integrity.check_fully_defined(unsigned_credential)


def test_alignment_terms_need_the_alignment_type(unsigned_credential):
    # targetName and targetUrl are defined only in the Alignment type-scoped context.
    del unsigned_credential["credentialSubject"]["achievement"]["alignment"][0]["type"]
    with pytest.raises(ValueError, match=r"alignment\[0\]\.target"):
        integrity.check_fully_defined(unsigned_credential)


def test_identity_terms_need_the_identity_object_type(unsigned_credential):
    del unsigned_credential["credentialSubject"]["identifier"][0]["type"]
    with pytest.raises(ValueError, match=r"identifier\[0\]\."):
        integrity.check_fully_defined(unsigned_credential)


@pytest.mark.parametrize(
    ("where", "value"),
    [
        (("credentialSubject", "achievement"), ["Achievement", "Pathway"]),
        (("issuer",), ["Profile", "TrainingCentre"]),
        (("credentialStatus",), "StatusList2021Entry"),
    ],
)
def test_an_undefined_type_is_refused(unsigned_credential, where, value):
    target = unsigned_credential
    for step in where:
        target = target[step]
    target["type"] = value
    with pytest.raises(ValueError, match=r"type"):
        integrity.check_fully_defined(unsigned_credential)


def test_a_1edtech_schema_validator_type_is_undefined(unsigned_credential):
    # credentialSchema is a VC term, but this type value is in neither shipped context.
    unsigned_credential["credentialSchema"] = [
        {
            "id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/"
            "ob_v3p0_achievementcredential_schema.json",
            "type": "1EdTechJsonSchemaValidator2019",
        }
    ]
    with pytest.raises(ValueError, match=r"credentialSchema"):
        integrity.check_fully_defined(unsigned_credential)


def test_a_relative_identifier_is_refused(unsigned_credential):
    unsigned_credential["credentialSubject"]["achievement"]["id"] = "pathways/ipt-1"
    with pytest.raises(ValueError, match=r"relative IRI|changes in JSON-LD"):
        integrity.check_fully_defined(unsigned_credential)


def test_a_relative_iri_in_the_canonical_form_is_refused_on_its_own():
    with pytest.raises(ValueError, match="relative IRI 'http://example.org/base/Pathway'"):
        integrity._reject_relative_iris(
            "<https://a.example/p> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
            "<http://example.org/base/Pathway> .\n"
        )


def test_a_lone_item_and_a_one_item_list_compare_equal():
    integrity._compare({"type": ["Profile"]}, {"type": "Profile"}, "$")
    integrity._compare({"type": "Profile"}, {"type": ["Profile"]}, "$")


def test_a_document_without_context_is_refused():
    with pytest.raises(ValueError, match="@context"):
        integrity.check_fully_defined({"id": "urn:uuid:1"})
