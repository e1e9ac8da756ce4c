"""W3C Data Integrity proofs with the `eddsa-rdfc-2022` cryptosuite (vc-di-eddsa §3.2).

hashData = SHA-256(canonical proof config) || SHA-256(canonical document), both canonicalised
with RDF Dataset Canonicalization (RDFC-1.0; pyld still calls the algorithm `URDNA2015`, the
same algorithm under its earlier name), and signed with Ed25519. Contexts always come from an
offline loader, never from the network.
"""

import copy
import hashlib
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import base58
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from pyld import jsonld

from trainer.credentials.loader import OfflineLoader, UnknownDocumentError, default_loader

PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-rdfc-2022"
PROOF_PURPOSE = "assertionMethod"
SIGNATURE_LENGTH = 64
# pyld resolves a relative IRI against this when no base is given (pyld.jsonld.DEFAULT_BASE_IRI).
PYLD_DEFAULT_BASE = "http://example.org/base/"


def sign(
    document: Mapping[str, Any],
    private_key: Ed25519PrivateKey,
    verification_method: str,
    created: datetime | str,
    *,
    loader: OfflineLoader | None = None,
) -> dict[str, Any]:
    """Return a copy of `document` with `proof: [DataIntegrityProof]` appended.

    Raises ValueError (from `check_fully_defined`) when some of the document would be left
    out of the signature.
    """
    loader = loader or default_loader
    unsecured = copy.deepcopy(dict(document))
    existing = unsecured.pop("proof", None)
    canonical_document = _checked_canonical_form(unsecured, loader)
    proof = proof_options(verification_method, created)
    config = canonical_proof_config(proof, unsecured, loader=loader)
    digest = hash_data(canonical_document, config)
    proof["proofValue"] = "z" + base58.b58encode(private_key.sign(digest)).decode("ascii")
    secured = copy.deepcopy(dict(document))
    secured["proof"] = _as_list(existing) + [proof]
    return secured


def verify(
    document: Mapping[str, Any],
    public_key: Ed25519PublicKey,
    *,
    loader: OfflineLoader | None = None,
) -> bool:
    """True when an `eddsa-rdfc-2022` proof on `document` verifies with `public_key`.

    `proof` may be a single object or an array (a proof set). A document that holds terms
    the contexts do not define does not verify, since those terms were never signed.
    """
    loader = loader or default_loader
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    proofs = [p for p in _as_list(document.get("proof")) if _is_our_proof(p)]
    if not proofs:
        return False
    try:
        canonical_document = _checked_canonical_form(unsecured, loader)
    except ValueError:
        return False
    return any(_verify_proof(p, unsecured, canonical_document, public_key, loader) for p in proofs)


def check_fully_defined(
    document: Mapping[str, Any], *, loader: OfflineLoader | None = None
) -> None:
    """Raise ValueError naming the key path when part of `document` would not be signed.

    Two checks: JSON-LD expansion must drop no key (compact(expand(doc)) keeps every key and
    value), and the canonical N-Quads must hold no relative IRI (an undefined type or
    identifier, which pyld resolves against a dummy base).
    """
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    _checked_canonical_form(unsecured, loader or default_loader)


def canonicalize(document: Mapping[str, Any], *, loader: OfflineLoader | None = None) -> str:
    """The RDFC-1.0 canonical N-Quads of a JSON-LD document."""
    options = (loader or default_loader).options(
        algorithm="URDNA2015", format="application/n-quads"
    )
    return _call_jsonld(jsonld.normalize, dict(document), options)


def proof_options(verification_method: str, created: datetime | str) -> dict[str, Any]:
    """The proof options (the proof without `proofValue`) for an assertion proof."""
    return {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": _xsd_datetime(created),
        "verificationMethod": verification_method,
        "proofPurpose": PROOF_PURPOSE,
    }


def canonical_proof_config(
    options: Mapping[str, Any],
    unsecured_document: Mapping[str, Any],
    *,
    loader: OfflineLoader | None = None,
) -> str:
    """Proof configuration (§3.2.5): the options with the document's `@context`, canonicalised."""
    if options.get("type") != PROOF_TYPE or options.get("cryptosuite") != CRYPTOSUITE:
        raise ValueError(f"proof type must be {PROOF_TYPE} with cryptosuite {CRYPTOSUITE}")
    config = {key: value for key, value in options.items() if key != "proofValue"}
    config["@context"] = unsecured_document["@context"]
    return canonicalize(config, loader=loader)


def hash_data(canonical_document: str, canonical_config: str) -> bytes:
    """Hashing (§3.2.4): SHA-256 of the proof config followed by SHA-256 of the document."""
    proof_hash = hashlib.sha256(canonical_config.encode("utf-8")).digest()
    return proof_hash + hashlib.sha256(canonical_document.encode("utf-8")).digest()


def _verify_proof(
    proof: Mapping[str, Any],
    unsecured: Mapping[str, Any],
    canonical_document: str,
    public_key: Ed25519PublicKey,
    loader: OfflineLoader,
) -> bool:
    signature = _decode_proof_value(proof.get("proofValue"))
    if signature is None or proof.get("proofPurpose") != PROOF_PURPOSE:
        return False
    try:
        config = canonical_proof_config(proof, unsecured, loader=loader)
        public_key.verify(signature, hash_data(canonical_document, config))
    except (InvalidSignature, ValueError):
        return False
    return True


def _checked_canonical_form(unsecured: Mapping[str, Any], loader: OfflineLoader) -> str:
    if "@context" not in unsecured:
        raise ValueError("document has no @context")
    expanded = _call_jsonld(jsonld.expand, dict(unsecured), loader.options())
    context = {"@context": unsecured["@context"]}
    round_trip = _call_jsonld(jsonld.compact, expanded, context, loader.options())
    _compare(unsecured, round_trip, "$")
    canonical = canonicalize(unsecured, loader=loader)
    _reject_relative_iris(canonical)
    return canonical


def _compare(original: Any, round_trip: Any, path: str) -> None:
    """Raise ValueError at the first key or value that compact(expand()) did not keep."""
    if isinstance(round_trip, list) and len(round_trip) == 1 and not isinstance(original, list):
        round_trip = round_trip[0]
    if isinstance(original, dict):
        if not isinstance(round_trip, dict):
            raise ValueError(f"{path} is not kept by JSON-LD expansion (not a node)")
        for key, value in original.items():
            if key == "@context":
                continue
            if key not in round_trip:
                raise ValueError(
                    f"{path}.{key} is not defined by the JSON-LD contexts: "
                    "expansion drops it, so it would not be signed"
                )
            _compare(value, round_trip[key], f"{path}.{key}")
    elif isinstance(original, list):
        items = round_trip if isinstance(round_trip, list) else [round_trip]
        if len(items) != len(original):
            raise ValueError(f"{path} lost items in JSON-LD expansion")
        for index, (item, kept) in enumerate(zip(original, items, strict=True)):
            _compare(item, kept, f"{path}[{index}]")
    elif original != round_trip:
        raise ValueError(
            f"{path} changes in JSON-LD expansion ({original!r} becomes {round_trip!r}): "
            "an undefined type or a relative IRI"
        )


def _reject_relative_iris(canonical: str) -> None:
    dataset = jsonld.JsonLdProcessor.parse_nquads(canonical)
    for quads in dataset.values():
        for quad in quads:
            for position in ("subject", "predicate", "object"):
                term = quad[position]
                iri = term.get("datatype") if term["type"] == "literal" else term["value"]
                if term["type"] != "blank node" and not _is_absolute(iri):
                    raise ValueError(
                        f"canonical form holds the relative IRI {iri!r} as the {position} of a "
                        f"statement about {quad['subject']['value']!r}: an undefined type, "
                        "term or identifier"
                    )


def _is_absolute(iri: str | None) -> bool:
    if iri is None:
        return True
    scheme, colon, _ = iri.partition(":")
    absolute = bool(colon) and scheme[:1].isalpha() and " " not in iri
    return absolute and not iri.startswith(PYLD_DEFAULT_BASE)


def _call_jsonld(function: Any, *args: Any) -> Any:
    """Call pyld, surfacing a refused URL as UnknownDocumentError rather than a wrapped error."""
    try:
        return function(*args)
    except jsonld.JsonLdError as error:
        cause: BaseException | None = error
        while cause is not None:
            if isinstance(cause, UnknownDocumentError):
                raise UnknownDocumentError(cause.url) from error
            cause = cause.__cause__
        raise ValueError(f"JSON-LD processing failed: {error}") from error


def _decode_proof_value(value: Any) -> bytes | None:
    if not isinstance(value, str) or not value.startswith("z"):
        return None
    try:
        signature = base58.b58decode(value[1:])
    except ValueError:
        return None
    return signature if len(signature) == SIGNATURE_LENGTH else None


def _is_our_proof(proof: Any) -> bool:
    return (
        isinstance(proof, Mapping)
        and proof.get("type") == PROOF_TYPE
        and proof.get("cryptosuite") == CRYPTOSUITE
    )


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _xsd_datetime(created: datetime | str) -> str:
    if isinstance(created, str):
        datetime.fromisoformat(created.replace("Z", "+00:00"))  # raises ValueError if invalid
        return created
    if created.tzinfo is None:
        raise ValueError("created must be timezone-aware")
    return created.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
