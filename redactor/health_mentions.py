"""A health mention's extent: the dose or frequency it runs on into ("dialisi tre volte a
settimana") and what it is for ("la sertralina per l'ansia", however ASR heard the
condition). Used by :mod:`redactor.plan`; re-exported by :mod:`redactor.health_answers`."""

from __future__ import annotations

from redactor.cues import DOSAGE, INDICATION
from redactor.detect import Finding
from redactor.tokens import Token

__all__ = ["expand_health"]


def expand_health(
    tokens: list[Token], findings: list[Finding], language: str = "en"
) -> list[Finding]:
    """A health mention runs on into its dose or frequency ("dialysis three times a week"):
    extend HEALTH findings forward over such words (at most 5, within the sentence; "dialisi
    tre volte a settimana" in Italian). The
    lead-in ("I'm on") is not health data and is kept."""
    dosage = DOSAGE.get(language, DOSAGE["en"])
    out: list[Finding] = []
    for f in sorted(findings, key=lambda f: (f.entity_type != "HEALTH", f.first)):
        if f.entity_type != "HEALTH":
            out.append(f)
            continue
        prev = out[-1] if out and out[-1].entity_type == "HEALTH" else None
        if prev is not None and f.first - prev.last <= 2:  # "sertraline for anxiety"
            f = Finding("HEALTH", max(f.score, prev.score), prev.recognizer, f.channel,
                        prev.first, f.last, prev.start, f.end, f"{prev.text} {f.text}")  # fmt: skip
            out.pop()
        first, last = f.first, f.last
        while (
            last + 1 < len(tokens)
            and last - f.last < 5
            and not tokens[last].sentence_end
            and (
                tokens[last + 1].is_number
                or _dose_word(tokens[last + 1].text, dosage)
                or _joins_dose(tokens, last + 1, dosage, language)
            )
        ):
            last += 1
        last = _indication(tokens, last, language)
        out.append(
            Finding(f.entity_type, f.score, f.recognizer, f.channel, first, last,
                    tokens[first].start, tokens[last].end, f.text)
        )  # fmt: skip
    return out


# the fewest letters of a dose word heard with a syllable glued on before it ("remorning")
GLUED_DOSE = 5
# the word joining a health term to its dose as ASR heard it, when a dose word follows
DOSE_JOINERS = {"en": ("and",), "it": ("e",)}


def _dose_word(text: str, dosage) -> bool:
    """``text`` is a dose or frequency word, or one of :data:`GLUED_DOSE` letters or more
    with a syllable glued on before it: "insulin every morning" heard "insulin and
    remorning" (0.95 0.96), and "every morning" stayed audible beside the term
    (en-s62-001, session 45)."""
    return text in dosage or any(
        len(d) >= GLUED_DOSE and text.endswith(d) and len(text) > len(d) for d in dosage
    )


def _joins_dose(tokens: list[Token], k: int, dosage, language: str) -> bool:
    """``tokens[k]`` joins the term to a dose word right after it ("and" of "insulin and
    remorning"): the dose's first syllable misheard, not a new clause."""
    return (
        tokens[k].text in DOSE_JOINERS.get(language, ())
        and not tokens[k].sentence_end
        and k + 1 < len(tokens)
        and tokens[k + 1].channel == tokens[k].channel
        and len(tokens[k + 1].text) >= GLUED_DOSE  # "morning", not "a" or "la"
        and _dose_word(tokens[k + 1].text, dosage)
    )


def _indication(tokens: list[Token], last: int, language: str, pause: float = 0.3) -> int:
    """Index of the last word of what a health mention ending at ``last`` is for: "per"
    with an article and one word said without a pause ("la sertralina per l'ansia", heard
    "la sertralina per ranzia": the condition misheard, so the lexicon missed it). The
    condition is health data however ASR heard it; "per questo" is not one. The mention may
    already end with "per" ("la certra lima per" + "l ansia"), and "per" with its article
    may be glued to the condition ("perlanzia", it-s17-011)."""
    words = INDICATION.get(language)
    if not words or tokens[last].sentence_end:
        return last
    k = last if tokens[last].text in words["for"] else last + 1
    if k >= len(tokens) or tokens[k - 1].sentence_end:
        return last
    if (
        k > last
        and tokens[k].start - tokens[last].end < pause
        and _glued_indication(tokens[k].text, words)
    ):
        return k
    if tokens[k].text not in words["for"]:
        return last
    start = k
    while k + 1 < len(tokens) and not tokens[k].sentence_end and k - start <= 1:
        nxt = tokens[k + 1]
        if nxt.start - tokens[k].end >= pause or nxt.text in words["not"]:
            return last
        k += 1
        if nxt.text not in words["articles"]:
            return k
    return last


def _glued_indication(word: str, words: dict, rest: int = 3) -> bool:
    """ "for", an article and a word of ``rest`` letters or more heard as one word
    ("perlanzia" for "per l'ansia"; the longest article that fits is the one said), not one
    of :data:`INDICATION`'s "not" words ("perlopiù"), nor "per" glued to a word with no
    article ("perfetto", "persona")."""
    for f in words["for"]:
        after = word[len(f) :] if word.startswith(f) else ""
        article = max((a for a in words["articles"] if after.startswith(a)), key=len, default="")
        tail = after[len(article) :]
        if article and len(tail) >= rest:
            return not any(tail.startswith(n) for n in words["not"])
    return False
