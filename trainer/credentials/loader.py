"""An offline JSON-LD document loader: known context URLs map to local files, nothing is fetched."""

import json
from collections.abc import Mapping
from importlib.resources import files
from pathlib import Path
from typing import Any

from pyld.context_resolver import ContextResolver

VC_V2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_V3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"

# Byte-for-byte copies of shared/data/jsonld-contexts/ (see its README for their provenance).
_CONTEXTS_DIR = files("trainer.credentials").joinpath("contexts")
SHIPPED_CONTEXTS: Mapping[str, Any] = {
    VC_V2_CONTEXT: _CONTEXTS_DIR.joinpath("credentials-v2.jsonld"),
    OB_V3_CONTEXT: _CONTEXTS_DIR.joinpath("ob-context-3.0.3.json"),
}


class UnknownDocumentError(ValueError):
    """Raised for a URL the loader does not ship: it never falls back to the network."""

    def __init__(self, url: str):
        super().__init__(
            f"JSON-LD document {url!r} is not shipped with trainer.credentials and is never "
            "fetched; use only the VC v2 and Open Badges 3.0.3 contexts"
        )
        self.url = url


class OfflineLoader:
    """A pyld document loader over a fixed URL -> file mapping, with parsed JSON cached.

    Pass `options()` to each pyld call rather than `jsonld.set_document_loader`, which is
    global. `options()` also carries a context resolver whose cache belongs to this loader:
    pyld's default cache is process-wide, so a context resolved through one loader would
    otherwise be reused silently by calls made with another.
    """

    def __init__(self, documents: Mapping[str, Any]):
        self._paths = dict(documents)
        self._parsed: dict[str, Any] = {}
        self._resolved_contexts: dict[str, Any] = {}

    def __call__(self, url: str, options: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Return the remote-document dict pyld expects, or raise UnknownDocumentError."""
        if url not in self._paths:
            raise UnknownDocumentError(url)
        if url not in self._parsed:
            self._parsed[url] = json.loads(_read_text(self._paths[url]))
        return {"contextUrl": None, "documentUrl": url, "document": self._parsed[url]}

    def extended(self, documents: Mapping[str, Any]) -> "OfflineLoader":
        """A new loader that also knows `documents` (for tests and test vectors)."""
        return OfflineLoader({**self._paths, **documents})

    def options(self, **extra: Any) -> dict[str, Any]:
        """pyld options using this loader, plus any `extra` options."""
        resolver = ContextResolver(self._resolved_contexts, self)
        return {"documentLoader": self, "contextResolver": resolver, **extra}


def _read_text(source: Any) -> str:
    if isinstance(source, str):
        source = Path(source)
    return source.read_text(encoding="utf-8")


default_loader = OfflineLoader(SHIPPED_CONTEXTS)
