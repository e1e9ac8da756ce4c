"""Multikey / JWK key encodings and the offline JSON-LD document loader."""

import socket

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pyld import jsonld

from trainer.credentials import integrity, multikey
from trainer.credentials.loader import (
    OB_V3_CONTEXT,
    VC_V2_CONTEXT,
    UnknownDocumentError,
    default_loader,
)

VECTOR_PUBLIC = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
VECTOR_SECRET = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"


def test_public_multikey_round_trips_and_starts_with_z6mk():
    key = multikey.generate_private_key().public_key()
    encoded = multikey.public_key_to_multibase(key)
    assert encoded.startswith("z6Mk")
    assert multikey.public_key_bytes(multikey.public_key_from_multibase(encoded)) == (
        multikey.public_key_bytes(key)
    )


def test_the_w3c_test_key_decodes():
    private_key = multikey.private_key_from_multibase(VECTOR_SECRET)
    assert multikey.public_key_to_multibase(private_key.public_key()) == VECTOR_PUBLIC
    assert multikey.private_key_to_multibase(private_key) == VECTOR_SECRET


def test_jwk_is_okp_ed25519_base64url_without_padding():
    key = multikey.public_key_from_multibase(VECTOR_PUBLIC)
    jwk = multikey.public_key_to_jwk(key, kid="https://a.example/issuers/x#" + VECTOR_PUBLIC)
    assert jwk["kty"] == "OKP"
    assert jwk["crv"] == "Ed25519"
    assert jwk["x"] == "sA2Nk45_dz1RVlqtNqYj9TRPf10ZYPnPPo4SYg6igQ8"
    assert isinstance(multikey.public_key_from_jwk(jwk), Ed25519PublicKey)


def test_private_key_bytes_round_trip():
    key = multikey.generate_private_key()
    raw = multikey.private_key_to_bytes(key)
    assert len(raw) == 32
    assert multikey.private_key_to_bytes(multikey.private_key_from_bytes(raw)) == raw


@pytest.mark.parametrize(
    "value",
    [
        "6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",  # no multibase prefix
        "z0OIl",  # not base58
        VECTOR_SECRET,  # a private key's multicodec
        "z6Mk",  # too short
    ],
)
def test_a_bad_public_multikey_is_refused(value):
    with pytest.raises(ValueError):
        multikey.public_key_from_multibase(value)


@pytest.mark.parametrize(
    "jwk",
    [
        {"kty": "EC", "crv": "P-256", "x": "AA"},
        {"kty": "OKP", "crv": "Ed25519", "x": "AAAA"},
    ],
)
def test_a_bad_jwk_is_refused(jwk):
    with pytest.raises(ValueError):
        multikey.public_key_from_jwk(jwk)


def test_a_private_key_of_the_wrong_length_is_refused():
    with pytest.raises(ValueError, match="32 bytes"):
        multikey.private_key_from_bytes(b"\x01" * 31)


@pytest.mark.parametrize("url", [VC_V2_CONTEXT, OB_V3_CONTEXT])
def test_shipped_contexts_load_and_are_cached(url):
    first = default_loader(url)
    assert first["documentUrl"] == url
    assert "@context" in first["document"]
    assert default_loader(url)["document"] is first["document"]


def test_any_other_url_is_refused_without_touching_the_network(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the loader tried to open a connection")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    with pytest.raises(UnknownDocumentError, match="never fetched"):
        default_loader("https://w3id.org/security/data-integrity/v2")
    with pytest.raises(UnknownDocumentError):
        integrity.canonicalize({"@context": "https://example.org/ctx", "a": 1})


def test_pyld_global_loader_is_left_alone():
    assert jsonld.get_document_loader() is not default_loader


def test_a_context_resolved_by_one_loader_is_not_reused_by_another(tmp_path):
    context = tmp_path / "extra.jsonld"
    context.write_text('{"@context": {"@vocab": "https://extra.example/#"}}', encoding="utf-8")
    extra_url = "https://extra.example/context"
    extended = default_loader.extended({extra_url: context})
    document = {"@context": [VC_V2_CONTEXT, extra_url], "anything": "x"}
    assert "extra.example" in integrity.canonicalize(document, loader=extended)
    with pytest.raises(UnknownDocumentError):
        integrity.canonicalize(document)
