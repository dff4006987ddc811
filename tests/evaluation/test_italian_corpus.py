"""The Italian corpus: Italian scripts from a seed, exact truth, its own cache, the right model."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from redactor.cli import main
from redactor.evaluation.audio_io import decode
from redactor.evaluation.corpus import build_call, build_corpus, corpus_key, read_truth_json
from redactor.evaluation.ids_it import fiscal_code_valid, iban_valid, vat_valid
from redactor.evaluation.script import Turn, cvv, random_script
from redactor.evaluation.script_it import (
    CIFRE,
    LETTERE,
    SCENARIOS_IT,
    iban_groups,
    random_script_it,
)
from tests.fixtures.checks import luhn_ok


def _script_digest(script) -> str:
    scenario, turns = script
    h = hashlib.sha256(scenario.encode())
    for t in turns:
        for p in t.pieces:
            fields = (t.speaker, p.kind, p.text, p.entity, p.sensitive, p.unit, p.groups,
                      p.source, p.label, p.gap)  # fmt: skip
            h.update(repr(fields).encode())
    return h.hexdigest()


@pytest.fixture(scope="module")
def italian_calls(make_call):
    """One rendered Italian call per scenario (16 kHz PCM: cheap, and lossless)."""
    return {
        scenario: make_call(
            500 + i,
            scenario=scenario,
            fmt="wav_pcm16",
            rate=16000,
            layout="stereo" if i % 2 else "mono",
            language="it",
        )  # fmt: skip
        for i, scenario in enumerate(SCENARIOS_IT)
    }


def test_the_same_seed_gives_the_same_italian_script_and_another_seed_a_different_one():
    assert random_script_it(5) == random_script_it(5)
    assert random_script_it(5) != random_script_it(6)
    wordings = {_script_digest(random_script_it(s, "payment")) for s in range(20)}
    assert len(wordings) == 20


def test_italian_scripts_are_in_italian_and_ask_for_the_card_in_italian():
    agent_lines = set()
    for seed in range(40):
        _, turns = random_script_it(seed, "payment")
        agent_lines |= {p.text for t in turns if t.speaker == "agent" for p in t.pieces
                        if p.kind == "speech"}  # fmt: skip
    assert any("numero della carta" in line for line in agent_lines)
    assert any("scadenza" in line for line in agent_lines)
    assert any("codice di sicurezza" in line for line in agent_lines)
    assert not any(w in " ".join(agent_lines) for w in ("card number", "thank you", "please"))


def test_english_scripts_are_the_same_as_before_italian_existed():
    # scripts of seeds 0-59 as written by the English-only generator
    expected = "856dd1d36dbcd688f20bf37fbf309f8e44c77e026993c77d577c65229303fb0d"
    legacy = hashlib.sha256()
    for seed in range(60):
        scenario, turns = random_script(seed)
        legacy.update(scenario.encode())
        for t in turns:
            for p in t.pieces:
                legacy.update(repr((t.speaker, p.kind, p.text, p.entity, p.sensitive, p.unit,
                                    p.groups, p.source, p.label, p.gap)).encode())  # fmt: skip
    assert legacy.hexdigest() == expected


def test_an_iban_is_spoken_in_groups_of_four_with_italian_letter_names():
    groups = iban_groups("IT60X0542811101000000123456")
    assert groups[0] == "i ti sei zero" and groups[1] == "ics zero cinque quattro"
    assert len(groups) == 7 and groups[-1] == "quattro cinque sei"
    assert set(" ".join(groups).split()) <= set(CIFRE) | set(LETTERE.values())


def test_every_italian_scenario_renders_with_units_for_every_sensitive_piece(italian_calls):
    for scenario, call in italian_calls.items():
        assert call.language == "it" and call.scenario == scenario
        assert call.meta["customer_digits"] == "tts"
        assert call.meta["agent_voice"].startswith("espeak:it")
        for u in call.truth:
            assert 0 <= u.start < u.end <= call.duration
        by_kind: dict[str, list] = {}
        for u in call.sensitive_units:
            by_kind.setdefault(u.kind, []).append(u)
        if scenario in ("payment", "payment_readback", "mixed"):
            digits = by_kind["card_digit"]
            assert len(digits) in (15, 16) and luhn_ok("".join(u.text for u in digits))
            assert len(by_kind["cvv"]) == 1 and len(by_kind["expiry"]) == 1
        if scenario == "payment_readback":
            assert [u.text for u in by_kind["readback"]] == [u.text for u in by_kind["card_digit"]]
        if scenario in ("health", "mixed"):
            assert all(u.entity == "HEALTH" for u in by_kind["health"])
        if scenario == "fiscal":
            chars = by_kind["fiscal_code"]
            assert len(chars) == 16 and fiscal_code_valid("".join(u.text for u in chars))
            assert all(u.entity == "IT_FISCAL_CODE" for u in chars)
        if scenario == "business":
            vat = by_kind["vat"]
            assert len(vat) == 11 and vat_valid("".join(u.text for u in vat))
            assert len(by_kind["iban"]) == 7
        if scenario == "contact":
            assert {"phone", "email", "iban"} <= set(by_kind)
            assert all(u.entity == "IBAN_CODE" for u in by_kind["iban"])
        if scenario == "plain":
            assert not call.sensitive_units
        assert any(u.kind == "harmless_number" for u in call.truth) or scenario == "contact"


def test_every_italian_sensitive_unit_holds_speech(italian_calls):
    for call in italian_calls.values():
        audio, rate = decode(call.audio_path)
        for u in call.sensitive_units:
            seg = audio[int(u.start * rate) : int(u.end * rate), u.channel]
            assert np.sqrt(np.mean(seg.astype(np.float64) ** 2)) > 0.02, (call.call_id, u)


def test_an_iban_read_in_the_contact_call_is_a_valid_italian_iban():
    _, turns = random_script_it(3, "contact")
    spoken = [p.text for t in turns for p in t.pieces if p.label == "iban"]
    back = {w: c for c, w in LETTERE.items()} | {w: str(i) for i, w in enumerate(CIFRE)}
    code = "".join(back[w] for group in spoken for w in _split_words(group))
    assert iban_valid(code), code


def _split_words(group: str) -> list[str]:
    """Split a spoken group, keeping two-word letter names ("doppia vu") together."""
    words, out = group.split(), []
    while words:
        two = " ".join(words[:2])
        if two in LETTERE.values():
            out.append(two)
            words = words[2:]
        else:
            out.append(words.pop(0))
    return out


def test_the_corpus_cache_key_and_call_ids_include_the_language(tmp_path):
    assert corpus_key(0, "en") == "corpus-seed0"  # English caches stay where they were
    assert corpus_key(0, "it") == "corpus-it-seed0"
    (it_call,) = build_corpus(1, 0, tmp_path, formats=("wav_pcm16",), language="it")
    (en_call,) = build_corpus(1, 0, tmp_path, formats=("wav_pcm16",), language="en")
    assert it_call.call_id.startswith("it-s0-000-") and en_call.call_id.startswith("s0-000-")
    assert it_call.audio_path != en_call.audio_path
    assert read_truth_json(it_call.truth_path).language == "it"
    assert read_truth_json(en_call.truth_path).truth == en_call.truth


def test_a_truth_file_without_a_language_is_read_as_english(tmp_path):
    import json

    call = build_call([Turn("customer", [cvv("482")])], fmt="wav_pcm16", rate=16000,
                      out_dir=tmp_path, voice_seed=1)  # fmt: skip
    data = json.loads(call.truth_path.read_text())
    del data["language"]
    call.truth_path.write_text(json.dumps(data))
    assert read_truth_json(call.truth_path).language == "en"


def test_a_changed_script_under_the_same_call_id_is_rendered_again(tmp_path):
    first = build_call([Turn("customer", [cvv("482")])], fmt="wav_pcm16", rate=16000,
                       out_dir=tmp_path, call_id="same")  # fmt: skip
    before = first.audio_path.read_bytes()
    second = build_call([Turn("customer", [cvv("48213")])], fmt="wav_pcm16", rate=16000,
                        out_dir=tmp_path, call_id="same")  # fmt: skip
    assert second.audio_path.read_bytes() != before
    assert read_truth_json(second.truth_path).truth == second.truth


def test_eval_refuses_tiny_en_for_italian_in_one_line_naming_base(tmp_path, capsys):
    code = main(["eval", "--language", "it", "--model", "tiny.en", "--calls", "1",
                 "--out", str(tmp_path)])  # fmt: skip
    err = capsys.readouterr().err.strip()
    assert code == 2 and "\n" not in err
    assert "tiny.en" in err and "'it'" in err and "--model base" in err
    assert not list(tmp_path.iterdir()), "nothing is built before the refusal"


def test_eval_refuses_an_unknown_language_and_names_the_valid_ones(tmp_path, capsys):
    assert main(["eval", "--language", "fr", "--out", str(tmp_path)]) == 2
    assert "'fr'" in (err := capsys.readouterr().err) and "en, it" in err


def test_eval_defaults_to_the_multilingual_base_model_for_italian():
    from redactor.evaluation.commands import _model_and_language

    assert _model_and_language(None, "it") == ("base", "it")
    assert _model_and_language(None, None) == ("tiny.en", "en")
    assert _model_and_language("base", None) == ("base", "en")


def test_samples_in_italian_writes_italian_calls_with_their_truth(tmp_path, capsys):
    assert main(["samples", "--language", "it", "--out", str(tmp_path)]) == 0
    truths = sorted(tmp_path.glob("*.truth.json"))
    assert len(truths) == 5
    calls = [read_truth_json(p) for p in truths]
    assert all(c.language == "it" and c.call_id.startswith("sample-it-") for c in calls)
    assert {c.scenario for c in calls} >= {"fiscal", "business"}
    assert "sensitive units" in capsys.readouterr().out
