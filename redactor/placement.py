"""Place a channel's findings in its audio: each finding's words as silence intervals.

A finding says which words are sensitive; this decides which stretch of sound they were
said in. Word stamps drift, so a span is anchored to confidently timed words around it
(requests, lead-in verbs, phrases heard together), clipped to voice activity, bridged over
short pauses inside it, and trimmed of the speech ordinary words explain, on this channel or
the other. Split from plan.py, which decides *which* findings and windows there are.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from policies.redaction import RedactionPolicy
from redactor.align import (
    MAX_REACH,
    Interval,
    bridge_gaps,
    clip_to_speech,
    crosses_pause,
    explained_elsewhere,
    filled_regions,
    finding_interval,
    short_code_breaths,
    since_last_turn,
    speech_cores,
    subtract_explained,
    subtract_spans,
    until_next_turn,
)
from redactor.failclosed import explains
from redactor.finding_spans import _core, _digits_of, _first_region
from redactor.numbers import _lead_in_verb, complete_card
from redactor.phrases import alike
from redactor.spans import merge_spans, share
from redactor.stamps import runs_in_late
from redactor.tokens import Token
from redactor.unheard import explains_over_pause

if TYPE_CHECKING:
    from redactor.answers import AnswerWindow
    from redactor.failclosed import PaymentWindow
    from redactor.pipeline import ChannelAnalysis

__all__ = ["place_findings"]

# how far a health term's span reaches back (and on) for the words ASR misheard beside it:
# an article, the head of the name ("il morto di parkinson"), not the question before the
# answer (a term heard whole from its first word reached back 3 s over "sì" and the end of
# "ha qualche patologia ...", it-s4-009)
HEALTH_REACH = 0.6
# inside a finding's own words, a pause shorter than this between two of its breaths is
# silenced too: voice activity lost "otto" of an IBAN's group between two regions 0.66 s
# apart (it-s6-030), and silence costs nothing to silence
FINDING_PAUSE = 1.0


def place_findings(
    analyses: list[ChannelAnalysis],
    policy: RedactionPolicy,
    language: str,
    *,
    allowed: set[str],
    windows: list[PaymentWindow | AnswerWindow],
    request_words: dict[int, set[int]],
    misheard: dict[int, list[tuple[int, int, float, float]]],
    lead_words: dict[int, set[int]],
    sensitive_of: dict[int, set[int]],
    tails_of: dict[int, list[tuple[float, float]]],
    agent: int | None,
    solo: list[tuple[float, float]],
    sounding: dict[int, list[tuple[float, float]]],
) -> tuple[list[Interval], list[Interval]]:
    """Every redacted finding of every channel as intervals, and the agent's read-backs
    among them (findings in the agent's solo speech, which unheard speech beside them
    joins). ``request_words``, ``lead_words`` and ``sensitive_of`` are token indices per
    channel: the agent asking, phrases heard together, the findings' own words;
    ``tails_of`` the rest of an answer lead's breath; ``solo`` the agent talking alone
    (on a one-channel call, ``agent`` None, the agent's turns told apart by voice);
    ``sounding`` where each channel made any sound (``ChannelAnalysis.sounding``)."""
    intervals: list[Interval] = []
    readbacks: list[Interval] = []
    asked = {  # where payment requests were heard, word for word or misheard
        a.channel: [(a.tokens[k].start, a.tokens[k].end) for k in request_words[a.channel]]
        + [(s, e) for _f, _l, s, e in misheard[a.channel]]
        for a in analyses
    }
    # a one-channel call whose voices were told apart: ``solo`` the agent's turns
    told = agent is None and bool(solo)
    for a in analyses:
        kept = [f for f in a.findings if f.entity_type in allowed]
        sensitive = sensitive_of[a.channel]
        heard_elsewhere = explained_elsewhere(  # the other channel's words (align.py)
            [(b.tokens, b.speech, sensitive_of[b.channel]) for b in analyses if b is not a],
            [(w.start, w.end) for w in windows], policy.keep_word_confidence, language,
        )  # fmt: skip
        said_elsewhere = {(t.start, t.end): t.text for b in analyses if b is not a
                          for t in b.tokens}  # fmt: skip
        # words stamped across the pause next to them, where they were said ("allora"
        # stamped 1.4 s long before a security code, "è" 0.56 s after "il numero")
        over_pause = [
            said
            for k, t in enumerate(a.tokens)
            if k not in sensitive
            and (said := explains_over_pause(t, a.speech, policy.keep_word_confidence, language))
        ]  # fmt: skip
        over_pause += tails_of[a.channel]  # ... and the rest of an answer lead's breath
        # the verb introducing a detail ("il mio cellulare è") bounds its span like a
        # request word, however unsure ASR was of it
        lead_ins = {k for k in range(len(a.tokens)) if k not in sensitive
                    and _lead_in_verb(a.tokens, k, language)}  # fmt: skip
        # ... and so do the words of a phrase heard together (a detail's name as ASR
        # heard it, "li manè" for "l'IBAN", and the verb after it; a since clause)
        lead_ins |= lead_words[a.channel] - sensitive
        # speech ordinary words fill, which a digit stamped back into it was not said in
        filled = filled_regions(
            a.tokens, a.speech, policy.keep_word_confidence, language, sensitive
        )
        for f in kept:
            if complete_card(f):  # a word beside 16 digits heard whole is none of them
                f = _digits_of(f, a.tokens)
            span = finding_interval(
                f, a.tokens, sensitive, policy.low_confidence,
                policy.pad_before, policy.pad_after, speech=a.speech,
                anchors=request_words[a.channel] | lead_ins, language=language,
                max_reach=HEALTH_REACH if f.entity_type == "HEALTH" else MAX_REACH,
            )  # fmt: skip
            if complete_card(f):  # no unheard first or last digit to reach for
                region = max((e for s, e in a.speech if s <= f.end - 0.05 < e), default=f.end)
                span = (span[0], min(span[1], max(region, f.end) + policy.pad_after))
                span = (max(span[0], _first_region(f.start, a.speech) - policy.pad_before),
                        span[1])  # fmt: skip
            own = [_core(t) for t in a.tokens[f.first : f.last + 1]]
            stamped = [(t.start, t.end) for t in a.tokens[f.first : f.last + 1]]
            cores = speech_cores(own, a.speech, stamped, a.sound)
            echo = a.channel == agent and share(cores, solo) <= 0.5
            callers = told and share(cores, solo) <= 0.5
            if echo:
                # the customer's echo on the agent's channel: the agent talking alone is
                # the agent's question, neither part of the finding nor of its tokens
                cores = speech_cores(own, subtract_spans(a.speech, solo), stamped, a.sound)
            elif a.channel == agent or (told and not callers):
                readbacks += [Interval(s, e, a.channel, f.entity_type, f.score,
                                       f.recognizer) for s, e in cores]  # fmt: skip
            pieces = clip_to_speech(span, a.speech, cores, policy.pad_before, policy.pad_after)
            pieces = bridge_gaps(
                pieces, f.start, f.end, max(policy.utterance_gap, FINDING_PAUSE),
                policy.pad_after, tail=0.35,
            )  # fmt: skip
            if echo:
                pieces = subtract_spans(pieces, solo)
            elif (agent is not None and a.channel != agent) or callers:
                pieces = until_next_turn(pieces, max(e for _s, e in stamped), solo)
                pieces = since_last_turn(pieces, min(s for s, _e in own), solo)
            elsewhere = heard_elsewhere
            if f.entity_type == "HEALTH":
                elsewhere = _agreed(heard_elsewhere, f.end, a.tokens, said_elsewhere)
            explained = [
                (t.start, t.end)
                for k, t in enumerate(a.tokens)
                if k not in sensitive
                and explains(t, policy.keep_word_confidence, language)
                and t.end > span[0] and t.start < span[1]
                and not crosses_pause(t.start, t.end, a.speech)
                and not (  # ... into the speech of a finding's word said after it
                    k + 1 in sensitive
                    and runs_in_late(
                        t.start, t.end, sounding[a.channel],
                        a.tokens[k - 1].end if k else None, a.tokens[k + 1].start,
                    )  # fmt: skip
                )
            ] + [
                (s, e) for s, e in elsewhere + over_pause if e > span[0] and s < span[1]
            ]  # fmt: skip
            pieces = subtract_explained(
                pieces, explained, cores, policy.pad_before, policy.pad_after
            )
            pieces = subtract_spans(pieces, filled, min_len=0.02)
            # a security code heard short of its digits: the rest were heard as words in
            # its breath ("sei due uno" as "c è il 2 e 1", "il" at 0.86): the breath is
            # the code's
            pieces += short_code_breaths(f, cores, a.speech, asked[a.channel])
            for s, e in merge_spans(pieces, gap=0.0):
                intervals.append(Interval(s, e, a.channel, f.entity_type, f.score, f.recognizer))
    return intervals, readbacks


# how alike a word the other channel heard must be to this channel's word at the same time
# for the two listens to agree ("agnosticato" on both)
AGREE = 0.75


def _agreed(
    heard: list[tuple[float, float]],
    end: float,
    tokens: list[Token],
    texts: dict[tuple[float, float], str],
) -> list[tuple[float, float]]:
    """The other channel's explained words (``heard``, their ``texts`` by stamp) that may
    explain a health term's reach: any after the term (``end``), a new clause ("dall anno
    scorso" heard 0.62 0.99 there and 0.27 0.30 here, it-s61-017); before it, over the
    head of the condition's name, only a word this channel heard alike at the same time
    (the lead-in "diagnosticato" on both, it-s62-006). The caller's "morbo di" echoed on
    the agent's channel was heard "buongiorno" (0.71) there, took "di" out of "il mod di
    parkinson", and 0.3 s of the condition leaked (it-s62-036, session 39)."""
    return [
        (s, e) for s, e in heard
        if s >= end or any(
            t.start < e and t.end > s and alike(t.text, texts.get((s, e), ""), AGREE)
            for t in tokens
        )
    ]  # fmt: skip
