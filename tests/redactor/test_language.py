"""Which language a call is redacted in: policy pin, then metadata, then the model's ear."""

from __future__ import annotations

import subprocess

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from policies.redaction import LANGUAGES, RedactionPolicy, choose_language


def test_a_campaign_pin_beats_the_metadata():
    assert choose_language(RedactionPolicy(language="it"), "en") == ("it", "policy")


def test_metadata_is_used_when_nothing_is_pinned_and_its_region_is_ignored():
    assert choose_language(RedactionPolicy(), "it-IT") == ("it", "metadata")
    assert choose_language(RedactionPolicy(), "EN") == ("en", "metadata")


def test_without_metadata_the_model_decides():
    assert choose_language(RedactionPolicy(), None) == (None, "detect")


def test_metadata_naming_a_language_we_do_not_redact_is_not_trusted():
    assert choose_language(RedactionPolicy(), "fr") == (None, "detect")
    assert choose_language(RedactionPolicy(languages=("en",), models={"en": "tiny.en"}), "fr") == (
        "en",
        "policy",
    )


@given(
    pin=st.one_of(st.none(), st.sampled_from(LANGUAGES)),
    meta=st.one_of(st.none(), st.sampled_from(["en", "it", "fr", "de-DE", "it-CH", ""])),
)
def test_the_choice_is_always_a_redactable_language_or_detection(pin, meta):
    policy = RedactionPolicy(language=pin)
    lang, source = choose_language(policy, meta)
    assert (lang is None) == (source == "detect")
    assert lang is None or lang in policy.languages
    if pin:
        assert lang == pin


def test_a_policy_that_gives_italian_to_an_english_only_model_is_refused():
    with pytest.raises(ValidationError, match="cannot hear 'it'"):
        RedactionPolicy(models={"en": "tiny.en", "it": "tiny.en"})


def test_a_policy_naming_an_unknown_language_lists_the_valid_ones():
    with pytest.raises(ValidationError, match="unknown language 'fr'; valid: en, it"):
        RedactionPolicy(languages=("en", "fr"))


def test_a_pinned_language_must_be_one_the_policy_redacts():
    with pytest.raises(ValidationError, match="pinned language 'it'"):
        RedactionPolicy(languages=("en",), models={"en": "tiny.en"}, language="it")


def _speak(tmp_path, voice: str, text: str):
    out = tmp_path / f"{voice}.wav"
    subprocess.run(["espeak-ng", "-v", voice, "-w", str(out), text], check=True)
    return out


@pytest.fixture(scope="module")
def router():
    from redactor.router import LanguageRouter
    from redactor.settings import redact_options

    return LanguageRouter(redact_options(cpu_threads=1))


@pytest.mark.slow
def test_an_italian_call_without_metadata_is_heard_as_italian_and_its_card_silenced(
    router, tmp_path
):
    src = _speak(
        tmp_path,
        "it",
        "Buongiorno, mi può dare il numero della carta? Certo: quattro cinque tre due, "
        "sette otto uno sei, tre tre quattro quattro, nove nove zero nove.",
    )
    report = router.redact_file(src, tmp_path / "out.wav")
    assert report.settings["language"] == "it"
    assert report.settings["language_source"].startswith("detected")
    assert report.model == "base"
    assert any(i.entity_type == "CREDIT_CARD" for i in report.intervals)


@pytest.mark.slow
def test_an_english_call_without_metadata_is_heard_as_english_on_the_english_model(
    router, tmp_path
):
    src = _speak(tmp_path, "en-us", "Good morning, how can I help you with your order today?")
    report = router.redact_file(src, tmp_path / "out.wav")
    assert report.settings["language"] == "en"
    assert report.settings["language_source"].startswith("detected")
    assert report.model == "tiny.en"


@pytest.mark.slow
def test_metadata_saves_the_detection_and_a_campaign_pin_overrides_it(tmp_path):
    from policies import Policy
    from redactor.pipeline import RedactOptions
    from redactor.router import LanguageRouter
    from redactor.settings import redact_options

    src = _speak(tmp_path, "en-us", "Thank you for calling, how can I help?")
    router = LanguageRouter(redact_options(cpu_threads=1))
    report = router.redact_file(src, tmp_path / "a.wav", language="en-GB")
    assert (report.settings["language"], report.settings["language_source"]) == (
        "en",
        "metadata",
    )
    assert "language" not in report.timings  # nothing was detected

    pinned = Policy.model_validate({"campaigns": {"milano": {"redaction": {"language": "it"}}}})
    router = LanguageRouter(RedactOptions(policy=pinned, cpu_threads=1))
    report = router.redact_file(src, tmp_path / "b.wav", language="en", campaign="milano")
    assert (report.settings["language"], report.settings["language_source"]) == ("it", "policy")


@pytest.mark.slow
def test_campaigns_with_the_same_rules_share_one_redactor_and_reports_name_the_call_s_campaign(
    tmp_path,
):
    from policies import Policy
    from redactor.pipeline import RedactOptions
    from redactor.router import LanguageRouter

    policy = Policy.model_validate(
        {"campaigns": {"sales": {"retention": {"audio_days": 30}},
                       "care": {"redaction": {"pad_after": 0.4}}}}
    )  # fmt: skip
    router = LanguageRouter(RedactOptions(policy=policy, cpu_threads=1))
    assert router.redactor("en", "sales") is router.redactor("en", None)
    assert router.redactor("en", "care") is not router.redactor("en", None)
    assert router.redactor("en", "care").policy.pad_after == 0.4

    src = _speak(tmp_path, "en-us", "Thank you for calling, how can I help?")
    report = router.redact_file(src, tmp_path / "out.wav", language="en", campaign="sales")
    assert report.settings["campaign"] == "sales"
