"""The caller's "allora" before a code owns the rest of its breath (session 37). Whisper
stamps the last word of a breath short of its sound; the words and voice activity here
are base's, as measured on it-s59-002 (44 kHz, the caller's channel of a stereo call):
"sì, allora" then the codice fiscale, spelled, after a pause."""

from __future__ import annotations

import pytest

from policies.redaction import RedactionPolicy
from redactor.align import finding_interval
from redactor.detect import Finding
from redactor.lead_tails import LEAD_TAIL, lead_tail, lead_tails
from redactor.tokens import normalize
from redactor.unheard import unexplained_speech
from tests.fixtures.tokens import words

POLICY = RedactionPolicy()
CALLER = "si/9.7/10.82/0.21 allora/11.14/11.48/0.99 chstmma8cip1/12.2/18.24/0.09"
SPEECH = [(10.604, 11.828), (12.14, 13.716)]


def _tokens(spec=CALLER):
    return normalize(words(spec, 1), "it")


def _allora(toks):
    return next(k for k, t in enumerate(toks) if t.text == "allora")


def test_a_sure_allora_owns_its_breath_to_the_pause_before_the_code():
    toks = _tokens()
    assert lead_tail(toks, _allora(toks), SPEECH, "it") == (11.48, 11.828)


def test_the_rest_of_the_breath_of_allora_is_explained_speech():
    left = unexplained_speech(SPEECH, _tokens(), POLICY.explain_confidence, language="it")
    assert not any(s < 11.8 and e > 11.5 for s, e in left)


def test_the_span_of_the_code_starts_after_the_breath_of_allora():
    toks = _tokens()
    code = len(toks) - 1
    finding = Finding(
        "IT_FISCAL_CODE", 0.9, "x", 1, code, code, toks[code].start, toks[code].end, "x"
    )
    start, _end = finding_interval(
        finding, toks, {code}, POLICY.low_confidence, POLICY.pad_before, POLICY.pad_after,
        speech=SPEECH, language="it",
    )  # fmt: skip
    assert start == pytest.approx(11.828 - POLICY.pad_before)


@pytest.mark.parametrize(
    "spec",
    [
        # a digit stamped in the tail: the breath held more than the lead
        CALLER.replace("chstmma8cip1/12.2", "3/11.6/11.8/0.4 chstmma8cip1/12.2"),
        # "allora" heard unsure may be the code's first character misheard
        CALLER.replace("allora/11.14/11.48/0.99", "allora/11.14/11.48/0.55"),
        # a word sure of itself that is no answer lead ("nero" is how base hears "zero")
        CALLER.replace("allora/11.14/11.48/0.99", "nero/11.14/11.48/0.99"),
        # a tail longer than any word's end runs on past the lead
        CALLER.replace("allora/11.14/11.48/0.99", f"allora/11.0/{11.82 - LEAD_TAIL:.2f}/0.99"),
    ],
)
def test_no_tail_where_the_breath_may_hold_a_detail(spec):
    assert lead_tails(_tokens(spec), SPEECH, "it") == []


def test_english_has_no_answer_leads_to_trust():
    toks = normalize(words("yes/11.14/11.48/0.99 4/12.2/12.5/0.9"), "en")
    assert lead_tails(toks, SPEECH, "en") == []
