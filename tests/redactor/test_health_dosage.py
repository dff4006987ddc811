"""A health mention runs on into its dose or frequency, in every supported language."""

from __future__ import annotations

import pytest

from redactor.detect import Finding
from redactor.health_answers import expand_health
from redactor.tokens import Token


def _tokens(text: str) -> list[Token]:
    out = []
    for i, w in enumerate(text.split()):
        digits = w if w.isdigit() else ""
        out.append(Token(w, w, i * 0.4, i * 0.4 + 0.3, 0.9, 0, i, i, digits))
    return out


@pytest.mark.parametrize(
    ("language", "text", "term", "expected"),
    [
        ("en", "i have dialysis 3 times a week and that is it", "dialysis", "dialysis 3 times a week"),
        ("it", "faccio la dialisi 3 volte alla settimana poi basta", "dialisi", "dialisi 3 volte alla settimana"),
        ("it", "prendo la metformina 2 volte al giorno grazie", "metformina", "metformina 2 volte al giorno"),
    ],
)  # fmt: skip
def test_the_dose_after_a_health_term_is_part_of_it(language, text, term, expected):
    toks = _tokens(text)
    i = [t.text for t in toks].index(term)
    f = Finding("HEALTH", 0.8, "HealthRecognizer", 0, i, i, toks[i].start, toks[i].end, term)
    [out] = expand_health(toks, [f], language)
    assert " ".join(t.text for t in toks[out.first : out.last + 1]) == expected


def test_ordinary_words_after_a_health_term_are_not_swallowed():
    toks = _tokens("ho il diabete ma sto bene")
    f = Finding("HEALTH", 0.8, "HealthRecognizer", 0, 2, 2, toks[2].start, toks[2].end, "diabete")
    [out] = expand_health(toks, [f], "it")
    assert (out.first, out.last) == (2, 2)


def test_a_health_lead_in_a_request_is_the_agent_asking_not_a_medication():
    # en-s1-022, en-s2-016 ...: "can I take the long card number please", said soon after a
    # health answer, was silenced as if "the long card number" were what the customer takes
    from redactor.health_answers import health_context_findings

    context = [(0.0, 60.0)]
    asked, said = "can i take the long card number please", "i take the blue pills every day"
    assert health_context_findings(_tokens(asked), 0, context, "en") == []
    [found] = health_context_findings(_tokens(said), 0, context, "en")
    assert found.recognizer == "HealthContextRule"
