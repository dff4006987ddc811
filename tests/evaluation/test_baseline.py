"""The do-it-yourself baseline reproduces the failure the issue reports: digits leak."""

from __future__ import annotations

import pytest

from redactor.evaluation.scoring import score_call


@pytest.fixture(scope="module")
def baseline():
    from redactor.evaluation.baseline import DiyBaseline

    return DiyBaseline("tiny.en")


@pytest.mark.slow
def test_stock_presidio_on_word_timestamps_leaks_card_digits(baseline, card_call_ulaw, tmp_path):
    dst = tmp_path / "diy.wav"
    report = baseline.redact_file(card_call_ulaw.audio_path, dst)
    assert report.transcript and report.transcript[0]
    score = score_call(card_call_ulaw, dst)
    cards = [u for u in score.units if u.entity == "CREDIT_CARD"]
    assert len(cards) == 16
    assert any(u.leaked for u in cards), "the baseline is expected to leak spoken digits"
    assert score.over_redaction < 0.5


@pytest.mark.slow
def test_the_baseline_keeps_the_format_and_mutes_what_it_flags(baseline, make_call, tmp_path):
    from redactor.evaluation.audio_io import decode, probe
    from redactor.evaluation.script import Turn, email

    call = make_call([Turn("customer", ["my email is", email("john dot smith at example dot com")])],
                     fmt="mp3", rate=16000, voice_seed=4)  # fmt: skip
    dst = tmp_path / "diy.mp3"
    report = baseline.redact_file(call.audio_path, dst)
    assert probe(dst)["codec"] == "mp3" and probe(dst)["rate"] == 16000
    audio, rate = decode(dst)
    for iv in report.intervals:
        seg = audio[int(iv.start * rate) + 400 : int(iv.end * rate) - 400]
        assert len(seg) == 0 or abs(seg).max() < 0.05


@pytest.mark.slow
def test_the_italian_baseline_runs_presidio_s_stock_italian_recognizers():
    from redactor.evaluation.baseline import DiyBaseline

    italian = DiyBaseline("base", language="it")
    names = {r.name for r in italian.analyzer.registry.get_recognizers("it", all_fields=True)}
    assert {"ItFiscalCodeRecognizer", "ItVatCodeRecognizer", "IbanRecognizer"} <= names
    found = italian.analyzer.analyze(text="il codice fiscale è RSSMRA85T10A562S", language="it")
    assert "IT_FISCAL_CODE" in {r.entity_type for r in found}
