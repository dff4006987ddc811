"""The telephony sidecar: validated at the edge, phone number kept only as a keyed hash."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from redactor.errors import BadInputError
from storage.sidecar import (
    PhoneHasher,
    normalise_phone,
    parse_sidecar,
    read_sidecar,
    sidecar_key,
    sidecar_path,
)

GOOD = {
    "schema": "redactor.sidecar/1",
    "call_id": "C-1",
    "agent_id": "A-7",
    "campaign": "sales",
    "direction": "inbound",
    "started_at": "2024-05-01T10:00:00+02:00",
    "language": "en",
    "channel_layout": "agent_left",
    "customer_id": "CUST-42",
    "phone_number": "+44 20 7946 0000",
    "consent_disclosed": True,
    "consent_method": "ivr_prompt",
}


def test_a_good_sidecar_parses_and_keeps_no_phone_number(hasher):
    meta = parse_sidecar(json.dumps(GOOD), hasher=hasher)
    assert meta.customer_id == "CUST-42" and meta.campaign == "sales"
    assert meta.started_at.utcoffset().total_seconds() == 7200
    assert meta.phone_hash == hasher("+442079460000")
    assert "7946" not in json.dumps(meta.catalog_fields(), default=str)


def test_the_same_number_written_differently_hashes_the_same_and_another_key_differs(hasher):
    assert hasher("+44 (20) 7946-0000") == hasher("0044 20 7946 0000")
    assert PhoneHasher(b"x" * 32)("+442079460000") != hasher("+442079460000")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"direction": "sideways"}, "direction"),
        ({"started_at": "2024-05-01T10:00:00"}, "started_at"),
        ({"phone_number": "call me"}, "phone_number"),
        ({"consent_disclosed": None}, "consent_disclosed"),
        ({"surprise": 1}, "surprise"),
    ],
)
def test_a_malformed_sidecar_names_the_bad_field(hasher, change, field):
    with pytest.raises(BadInputError, match=rf"call.json: field '{field}'"):
        parse_sidecar(json.dumps({**GOOD, **change}), hasher=hasher)


def test_a_missing_consent_flag_is_an_error_not_a_yes(hasher):
    data = {k: v for k, v in GOOD.items() if k != "consent_disclosed"}
    with pytest.raises(BadInputError, match="consent_disclosed"):
        parse_sidecar(json.dumps(data), hasher=hasher)


def test_broken_json_names_the_line(hasher):
    with pytest.raises(BadInputError, match=r"call.json:2: not valid JSON"):
        parse_sidecar('{\n "call_id": }', hasher=hasher)


def test_read_sidecar_reports_missing_and_malformed_files_without_raising(tmp_path, hasher):
    wav = tmp_path / "call.wav"
    wav.write_bytes(b"RIFF")
    assert sidecar_path(wav) == tmp_path / "call.json"
    missing = read_sidecar(wav, hasher=hasher)
    assert not missing.ok and "missing" in missing.error
    (tmp_path / "call.json").write_text("[]")
    bad = read_sidecar(wav, hasher=hasher)
    assert not bad.ok and "JSON object" in bad.error
    (tmp_path / "call.json").write_text(json.dumps(GOOD))
    assert read_sidecar(wav, hasher=hasher).meta.call_id == "C-1"


def test_sidecar_key_sits_beside_the_audio_key():
    assert sidecar_key("in/2024/call.wav") == "in/2024/call.json"


@given(st.text(alphabet="0123456789", min_size=3, max_size=15), st.sampled_from(["", " ", "-"]))
def test_separators_never_change_a_normalised_number(digits, sep):
    spaced = sep.join(digits)
    assert normalise_phone("+" + spaced) == "+" + digits


def test_the_hash_key_file_is_created_once_and_private(tmp_path):
    env = {"REDACTOR_HOME": str(tmp_path)}
    a = PhoneHasher.from_env(env)
    b = PhoneHasher.from_env(env)
    key = tmp_path / "keys" / "phone-hash.key"
    assert key.stat().st_mode & 0o777 == 0o600
    assert a("+15550100") == b("+15550100")
