"""W3C Bitstring Status List v1.0: the GZIP-compressed, multibase-encoded `encodedList`.

Bit 0 is the most significant bit of the first byte; the list is at least 131,072 bits (16 KiB)
so that one holder's entry hides among many; the compressed bytes are base64url without
padding behind the multibase prefix `u`.
"""

import base64
import gzip
from collections.abc import Iterable

MIN_SIZE = 131_072
MULTIBASE_BASE64URL = "u"


def encode(revoked_indexes: Iterable[int], size: int = MIN_SIZE) -> str:
    """`encodedList` with the bits at `revoked_indexes` set, over a list of `size` bits."""
    if size < MIN_SIZE or size % 8:
        raise ValueError(f"size must be a multiple of 8 and at least {MIN_SIZE} bits")
    bitstring = bytearray(size // 8)
    for index in revoked_indexes:
        _check_index(index, size)
        bitstring[index // 8] |= 0x80 >> (index % 8)
    # mtime=0 keeps the output a pure function of the bits.
    compressed = gzip.compress(bytes(bitstring), mtime=0)
    return MULTIBASE_BASE64URL + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode("ascii")


def decode(encoded: str) -> bytes:
    """The uncompressed bitstring of an `encodedList` value."""
    if not encoded.startswith(MULTIBASE_BASE64URL):
        raise ValueError("encodedList must start with the multibase prefix 'u' (base64url)")
    body = encoded[1:]
    try:
        compressed = base64.b64decode(body + "=" * (-len(body) % 4), b"-_", validate=True)
        bitstring = gzip.decompress(compressed)
    except (ValueError, OSError, EOFError) as error:
        raise ValueError("encodedList is not GZIP-compressed base64url") from error
    if len(bitstring) * 8 < MIN_SIZE:
        # The spec's STATUS_LIST_LENGTH_ERROR: a short list gives holders no herd privacy.
        raise ValueError(f"status list is shorter than {MIN_SIZE} bits")
    return bitstring


def is_set(encoded: str, index: int) -> bool:
    """Whether the bit at `index` is set (for a revocation list: the credential is revoked)."""
    bitstring = decode(encoded)
    _check_index(index, len(bitstring) * 8)
    return bool(bitstring[index // 8] & (0x80 >> (index % 8)))


def _check_index(index: int, size: int) -> None:
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < size:
        raise ValueError(f"status list index {index!r} is outside 0..{size - 1}")
