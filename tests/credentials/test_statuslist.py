"""Bitstring Status List v1.0 encodedList: round trip, bit order, size and encoding."""

import base64
import gzip

import pytest

from trainer.credentials import statuslist


def _raw(encoded: str) -> bytes:
    body = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


@pytest.mark.parametrize(
    "revoked", [set(), {0}, {7, 8}, {94567}, {0, 1, 2, 131_071}, set(range(0, 131_072, 997))]
)
def test_round_trip(revoked):
    encoded = statuslist.encode(revoked)
    bitstring = statuslist.decode(encoded)
    set_bits = {i for i in range(len(bitstring) * 8) if bitstring[i // 8] & (0x80 >> (i % 8))}
    assert set_bits == revoked
    for index in list(revoked)[:5] + [1, 94_566]:
        assert statuslist.is_set(encoded, index) == (index in revoked)


@pytest.mark.parametrize(
    ("index", "byte", "value"),
    [(0, 0, 0x80), (1, 0, 0x40), (7, 0, 0x01), (8, 1, 0x80), (131_071, 16_383, 0x01)],
)
def test_bit_zero_is_the_most_significant_bit_of_the_first_byte(index, byte, value):
    bitstring = statuslist.decode(statuslist.encode({index}))
    assert bitstring[byte] == value
    assert sum(bitstring) == value


def test_default_list_is_the_minimum_131072_bits():
    assert len(statuslist.decode(statuslist.encode(set()))) * 8 == 131_072


def test_a_larger_list_keeps_its_size():
    assert len(statuslist.decode(statuslist.encode({200_000}, size=262_144))) == 32_768


@pytest.mark.parametrize("size", [8, 131_064, 131_073])
def test_a_list_below_the_minimum_or_not_whole_bytes_is_refused(size):
    with pytest.raises(ValueError, match="size"):
        statuslist.encode(set(), size=size)


def test_encoding_is_multibase_base64url_without_padding():
    encoded = statuslist.encode({3, 5000})
    assert encoded.startswith("u")
    assert "=" not in encoded
    assert set(encoded[1:]) <= set(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    )
    assert _raw(encoded) == statuslist.decode(encoded)


def test_encoding_is_deterministic():
    assert statuslist.encode({1, 2, 3}) == statuslist.encode({3, 2, 1})


@pytest.mark.parametrize("index", [-1, 131_072, True, "5"])
def test_an_index_outside_the_list_is_refused(index):
    with pytest.raises(ValueError, match="index"):
        statuslist.encode({index})
    with pytest.raises(ValueError, match="index"):
        statuslist.is_set(statuslist.encode(set()), index)


def _u(raw: bytes) -> str:
    return "u" + base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@pytest.mark.parametrize(
    "encoded",
    ["H4sI", "u!!!", "uAAAA", "", "u", _u(b"not gzip"), _u(gzip.compress(b"\x00" * 1024))],
)
def test_a_malformed_or_short_list_is_refused(encoded):
    with pytest.raises(ValueError):
        statuslist.decode(encoded)
