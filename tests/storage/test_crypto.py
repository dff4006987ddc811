"""The one module that touches primitives: streaming AEAD geometry, tampering, wrapping,
HMAC and Ed25519. In memory, no server."""

from __future__ import annotations

import io
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from redactor.errors import CryptoError
from storage import crypto

F, S = crypto.FIRST_SEGMENT_PLAINTEXT, crypto.SEGMENT_PLAINTEXT
BOUNDARY_SIZES = [0, 1, F - 1, F, F + 1, F + S - 1, F + S, F + S + 1, F + 2 * S]


def seal(key: bytes, data: bytes, ad: bytes = b"ad", write_size: int = 65536) -> bytes:
    sink = io.BytesIO()
    w = crypto.encrypting_stream(key, sink, ad)
    for i in range(0, len(data), write_size):
        w.write(data[i : i + write_size])
    w.close()
    return sink.getvalue()


def unseal(key: bytes, ct: bytes, ad: bytes = b"ad") -> bytes:
    return crypto.decrypting_stream(key, io.BytesIO(ct), ad).read()


@pytest.fixture(scope="module")
def key() -> bytes:
    return crypto.new_data_key()


@pytest.mark.parametrize("size", BOUNDARY_SIZES)
def test_streaming_aead_round_trips_at_every_segment_boundary(key, size):
    data = os.urandom(size)
    ct = seal(key, data)
    assert len(ct) == crypto.ciphertext_size(size)
    assert unseal(key, ct) == data


def test_the_segment_geometry_constants_match_tink():
    assert crypto.ciphertext_size(0) == crypto.STREAM_HEADER_SIZE + crypto.TAG_SIZE
    assert crypto.ciphertext_size(F) == crypto.SEGMENT_SIZE
    assert crypto.ciphertext_size(F + 1) == crypto.SEGMENT_SIZE + 1 + crypto.TAG_SIZE


@pytest.mark.parametrize("size", [F, F + S])
def test_truncation_exactly_at_a_segment_boundary_is_detected(key, size):
    ct = seal(key, os.urandom(size + 10))
    with pytest.raises(CryptoError):
        unseal(key, ct[: crypto.ciphertext_size(size)])


def test_a_dropped_middle_segment_is_detected(key):
    ct = seal(key, os.urandom(F + 2 * S + 5))
    first, seg = crypto.SEGMENT_SIZE, crypto.SEGMENT_SIZE
    with pytest.raises(CryptoError):
        unseal(key, ct[:first] + ct[first + seg :])


def test_swapped_segments_are_detected(key):
    ct = seal(key, os.urandom(F + 2 * S + 5))
    a = slice(crypto.SEGMENT_SIZE, 2 * crypto.SEGMENT_SIZE)
    b = slice(2 * crypto.SEGMENT_SIZE, 3 * crypto.SEGMENT_SIZE)
    swapped = ct[: a.start] + ct[b] + ct[a] + ct[b.stop :]
    with pytest.raises(CryptoError):
        unseal(key, swapped)


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_any_flipped_byte_fails_to_open(key, data):
    plain = data.draw(st.binary(min_size=0, max_size=3000))
    ct = bytearray(seal(key, plain))
    pos = data.draw(st.integers(0, len(ct) - 1))
    ct[pos] ^= data.draw(st.integers(1, 255))
    with pytest.raises(CryptoError):
        unseal(key, bytes(ct))


@settings(max_examples=30, deadline=None)
@given(st.binary(max_size=2000), st.binary(max_size=20), st.binary(max_size=20))
def test_other_associated_data_fails_to_open(key, plain, ad1, ad2):
    ct = seal(key, plain, ad1)
    if ad1 == ad2:
        assert unseal(key, ct, ad2) == plain
    else:
        with pytest.raises(CryptoError):
            unseal(key, ct, ad2)


def test_another_data_key_fails_to_open(key):
    ct = seal(key, b"secret")
    with pytest.raises(CryptoError):
        unseal(crypto.new_data_key(), ct)


def test_a_garbage_data_key_is_a_crypto_error():
    with pytest.raises(CryptoError):
        crypto.encrypting_stream(b"not a keyset", io.BytesIO(), b"")


def test_a_failing_sink_is_reported_as_itself_not_as_tampering(key):
    class Broken(io.RawIOBase):
        def writable(self):
            return True

        def write(self, b):
            raise ConnectionError("network down")

    w = crypto.encrypting_stream(key, Broken(), b"ad")
    with pytest.raises(ConnectionError):
        w.write(os.urandom(3 * crypto.SEGMENT_SIZE))
        w.close()


def test_key_wrapping_round_trips_and_binds_the_context():
    kek = crypto.new_kek()
    wrapped = crypto.wrap_key(kek, b"data key", b"ctx")
    assert crypto.unwrap_key(kek, wrapped, b"ctx") == b"data key"
    for bad in (
        lambda: crypto.unwrap_key(kek, wrapped, b"other"),
        lambda: crypto.unwrap_key(crypto.new_kek(), wrapped, b"ctx"),
        lambda: crypto.unwrap_key(kek, wrapped[:-1], b"ctx"),
        lambda: crypto.unwrap_key(kek, b"short", b"ctx"),
    ):
        with pytest.raises(CryptoError):
            bad()


def test_hmac_verifies_and_rejects():
    tag = crypto.hmac_sha256(b"k", b"message")
    crypto.hmac_verify(b"k", b"message", tag)
    with pytest.raises(CryptoError):
        crypto.hmac_verify(b"k", b"messagE", tag)


def test_ed25519_signs_and_verifies_and_rejects_another_message():
    private, public = crypto.ed25519_generate()
    assert crypto.ed25519_public_key(private) == public
    sig = crypto.ed25519_sign(private, b"checkpoint 42")
    crypto.ed25519_verify(public, b"checkpoint 42", sig)
    with pytest.raises(CryptoError):
        crypto.ed25519_verify(public, b"checkpoint 43", sig)
    with pytest.raises(CryptoError):
        crypto.ed25519_verify(crypto.ed25519_generate()[1], b"checkpoint 42", sig)
