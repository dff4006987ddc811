"""The vault object header and the associated data: pure functions, property-tested."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from redactor.errors import CryptoError
from storage.format import (
    FORMAT_VERSION,
    HEADER_SIZE,
    MAGIC,
    SUPPORTED_VERSIONS,
    Header,
    associated_data,
    wrap_context,
)

key_ids = st.binary(min_size=16, max_size=16).map(bytes.hex)
text = st.text(max_size=40)


@given(key_ids)
def test_a_header_round_trips_and_has_a_fixed_size(key_id):
    raw = Header(key_id).encode()
    assert len(raw) == HEADER_SIZE
    assert Header.decode(raw) == Header(key_id, FORMAT_VERSION)


@given(key_ids, st.binary(max_size=64))
def test_trailing_bytes_after_the_header_are_not_part_of_it(key_id, tail):
    assert Header.decode(Header(key_id).encode() + tail).key_id == key_id


@given(st.binary(max_size=HEADER_SIZE + 8))
def test_arbitrary_bytes_either_decode_to_a_valid_header_or_raise_crypto_error(data):
    try:
        header = Header.decode(data)
    except CryptoError:
        return
    assert data[:4] == MAGIC and header.version in SUPPORTED_VERSIONS
    assert header.encode() == data[:HEADER_SIZE]


@given(key_ids, st.integers(min_value=0, max_value=HEADER_SIZE - 1))
def test_a_header_cut_short_is_a_crypto_error(key_id, cut):
    with pytest.raises(CryptoError, match="truncated"):
        Header.decode(Header(key_id).encode()[:cut])


@given(key_ids, st.integers(0, 255).filter(lambda v: v not in SUPPORTED_VERSIONS))
def test_an_unknown_format_version_is_a_crypto_error_naming_the_version(key_id, version):
    raw = bytearray(Header(key_id).encode())
    raw[len(MAGIC)] = version
    with pytest.raises(CryptoError, match=f"unknown vault format version {version}"):
        Header.decode(bytes(raw))


@given(key_ids, st.integers(0, len(MAGIC) - 1), st.integers(1, 255))
def test_bad_magic_is_a_crypto_error(key_id, pos, flip):
    raw = bytearray(Header(key_id).encode())
    raw[pos] ^= flip
    with pytest.raises(CryptoError, match="magic"):
        Header.decode(bytes(raw))


def test_a_key_id_that_is_not_16_hex_bytes_is_refused():
    with pytest.raises(CryptoError):
        Header("abc")
    with pytest.raises(CryptoError):
        Header("zz" * 16)


fields = st.tuples(st.integers(0, 255), text, text, text, text, key_ids)


@given(fields, fields)
def test_associated_data_is_injective(a, b):
    names = ("version", "recording_id", "kind", "bucket", "key", "key_id")
    ad_a = associated_data(**dict(zip(names, a, strict=True)))
    ad_b = associated_data(**dict(zip(names, b, strict=True)))
    assert (ad_a == ad_b) == (a == b)


def test_associated_data_does_not_confuse_field_boundaries():
    base = dict(version=1, kind="audio", bucket="b", key_id="0" * 32)
    assert associated_data(recording_id="ab", key="c", **base) != associated_data(
        recording_id="a", key="bc", **base
    )


def test_wrap_context_and_associated_data_never_coincide():
    ctx = wrap_context(key_id="0" * 32, recording_id="r", kind="audio", bucket="b", key="k")
    ad = associated_data(
        version=1, recording_id="r", kind="audio", bucket="b", key="k", key_id="0" * 32
    )
    assert ctx != ad
