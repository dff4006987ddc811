"""Plan what to silence: every channel's findings and the fail-closed rules, as intervals.

The recognizers say *what* was said; this module decides *where* it sits in the audio
(anchored to confidently timed words and to voice activity, not to a digit run's stamp
alone), adds the fail-closed rules (answer windows, unheard speech in a payment dialogue)
and merges the result. Analyses and policy in, intervals and windows out.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from policies.redaction import RedactionPolicy
from redactor.align import (
    Interval,
    merge_intervals,
    soft_onsets,
    subtract_spans,
)
from redactor.answer_edges import after_own_breath, after_request, codes_unheard, unfinished_code
from redactor.answers import AnswerWindow, request_starts
from redactor.call_endings import closing_words, goodbye_words
from redactor.closed_payments import payment_closed_at, until_closed, without_looped_digits
from redactor.dictation import dictated_rhythm
from redactor.dropouts import dropout_windows
from redactor.failclosed import (
    PaymentWindow,
    answered_numbers,
    bridge_in_windows,
    contact_windows,
    distrust_loops,
    health_context_findings,
    keep_in_context,
    long_numbers,
    loop_windows,
    numbers_in_payment,
    payment_windows,
    solo_speech,
    unexplained_speech,
    unheard_to_redact,
)
from redactor.finding_spans import soundalike_heads
from redactor.health_answers import after_yes_no, expand_health, unasked_answers
from redactor.health_windows import after_lead, after_question, said_before, until_follow_up
from redactor.lead_tails import lead_tails
from redactor.loops import at_call_end, closing_questions
from redactor.misheard import misheard_requests
from redactor.numbers import named_details, reference_numbers
from redactor.placement import place_findings
from redactor.request_bounds import agent_words
from redactor.request_words import _outside_requests, _request_words, intent_words
from redactor.scattered import long_number_lead_ins, recurring_readings, scattered_numbers
from redactor.since_clauses import since_words
from redactor.spans import merge_spans
from redactor.turns import unwritten_turns
from redactor.unheard import plausible_length
from redactor.unheard_rules import agents_unheard
from redactor.voices import SPLIT_LANGUAGES, split_voices

if TYPE_CHECKING:
    from redactor.pipeline import ChannelAnalysis

__all__ = ["plan_intervals"]

# inside an answer window, a pause shorter than this between two breaths is silenced too
ANSWER_PAUSE = 0.4


def plan_intervals(analyses: list[ChannelAnalysis], policy: RedactionPolicy, language: str):
    """Findings (recognizers + fail-closed rules) of every channel as merged intervals,
    and the payment windows they were judged in. The analyses' tokens lose their looped
    stretches' confidence and their findings gain the fail-closed ones, in place: the
    report's transcript shows what was judged."""
    # each channel's decoding loops, and the regions a second decode left unheard between
    # regions it heard (redecode.Redecoded)
    # ... but for a loop over the reply to the closing question, at the call's end
    said = sorted((t for a in analyses for t in a.tokens), key=lambda t: t.start)
    closed, speeches = closing_questions(said, language), [a.speech for a in analyses]
    loops_of = {
        a.channel: loop_windows(
            a.tokens, closed=closed, speeches=speeches, sure=policy.sure_confidence
        )
        + [PaymentWindow(s, e) for s, e in agents_unheard(a, analyses, policy.agent_channel)]
        for a in analyses
    }
    for a in analyses:
        a.tokens = distrust_loops(a.tokens, language=language)
    timeline = sorted((t for a in analyses for t in a.tokens), key=lambda t: t.start)
    all_findings = [f for a in analyses for f in a.findings]
    heard = [(f.start, f.end) for f in all_findings if f.entity_type == "HEALTH"]
    stops = request_starts(timeline, policy, language)
    contact = contact_windows(timeline, policy, language, terms=heard, requests=stops)
    # a loop or an unheard stretch after the agent closed the payment is no payment talk,
    # nor are a loop's digits there
    closed_at = payment_closed_at(timeline, all_findings + contact, language)
    loops_of = {c: until_closed(ws, closed_at) for c, ws in loops_of.items()}
    loops = [w for a in analyses for w in loops_of[a.channel]]
    long = policy.redact_long_numbers
    for a in analyses:
        a.findings = without_looped_digits(a.findings, a.tokens, closed_at, long)
    all_findings = [f for a in analyses for f in a.findings]
    # the agent asking for a payment detail, heard word for word or misheard ("the x i r e
    # n a" for "the expiry date"): no finding starts or ends with these words, and no
    # answer starts before the breath they were said in ends; a misheard request is
    # payment talk, as a heard one is
    misheard = {a.channel: misheard_requests(a.tokens, a.speech, language) for a in analyses}
    asked_words = frozenset(
        (a.channel, a.tokens[k].start)
        for a in analyses
        for first, last, _s, _e in misheard[a.channel]
        for k in range(first, last + 1)
    )
    shared = payment_windows(timeline, all_findings, policy, language, asked=asked_words)
    shared += [w for a in analyses
               for w in dropout_windows(a.speech, timeline, policy.payment_answer_seconds)]  # fmt: skip
    # ... and on a two-channel call, where a channel wrote nothing while its own voice
    # spoke: the other channel's words there may be its echo (vad.own_voice)
    own_drops = {a.channel: dropout_windows(a.voice, a.tokens, policy.payment_answer_seconds)
                 if len(analyses) == 2 and a.voice else [] for a in analyses}  # fmt: skip
    shared += [w for drops in own_drops.values() for w in drops]
    windows = shared + loops
    # on a two-channel call a loop says only that its own channel went unheard: the other
    # channel's words there are judged as anywhere else (the customer's channel looping
    # "2 e 2 e" over the agent reading the order number kept the dialogue open over it)
    two = len(analyses) == 2
    judged = {a.channel: (shared + loops_of[a.channel]) if two else windows for a in analyses}
    speech_of = {a.channel: a.speech for a in analyses}
    asked = [(s, e) for spans in misheard.values() for _f, _l, s, e in spans]
    answers = [
        unfinished_code(
            after_request(w, asked, timeline, stops=stops), timeline, speech_of, language, stops
        )
        for w in contact
    ]
    answers = [  # ... nor is a loop or its lead-in over the reply to the closing question
        w for w in answers if w.end > w.start
        and not (w.entity_type == "PAYMENT_UNHEARD" and at_call_end(w.start, closed, speeches))
    ]  # fmt: skip
    answers = [  # ... nor a loop's after the payment was closed
        c for w in answers
        for c in (until_closed([w], closed_at) if w.entity_type == "PAYMENT_UNHEARD" else [w])
    ]  # fmt: skip
    answers = codes_unheard(answers, all_findings)
    answers = [after_question(after_own_breath(w, speech_of, timeline, language), speech_of,
                               timeline, language) for w in answers]  # fmt: skip
    sure = policy.sure_confidence
    answers = [
        replace(w, start=after_yes_no(w.start, w.end, timeline, speech_of, language, sure))
        if w.entity_type == "HEALTH" else w
        for w in answers
    ]  # fmt: skip
    # what a window whose entity is redacted covers: a "moved on" or "next request" window
    # only ends others ("buonasera" heard as "buona serata" silenced nothing, yet hid the
    # bare "sì" answering a misheard health question, and the condition leaked)
    allowed = set(policy.entities)
    covered = [(w.start, w.end) for w in answers if w.entity_type in allowed]
    covered += [(w.start, w.end) for w in windows]
    answers += [
        AnswerWindow(s, e, "HEALTH")
        for s, e in unasked_answers(timeline, speech_of, covered, language, sure, terms=heard)
    ]
    health_ctx = [(w.start - 1.0, w.end + 25.0) for w in answers if w.entity_type == "HEALTH"]
    health_ctx += [
        (f.start - 25.0, f.end + 25.0) for f in all_findings if f.entity_type == "HEALTH"
    ]
    # the agent closing the payment or the call, however misheard
    closing = {
        a.channel: closing_words(a.tokens, language) | goodbye_words(a.tokens, language)
        for a in analyses
    }
    asking = {a.channel: _request_words(a.tokens, language) for a in analyses}
    request_words = {  # ... are the agent's words, as a request's are
        a.channel: asking[a.channel]
        | {k for first, last, _s, _e in misheard[a.channel] for k in range(first, last + 1)}
        | closing[a.channel]
        for a in analyses
    }
    # the caller naming a detail ("li manè" for "l'IBAN è"), per channel
    named = {a.channel: named_details(a.tokens, language) for a in analyses}
    for a in analyses:
        extra = numbers_in_payment(a.tokens, a.channel, judged[a.channel], language, sure)
        extra += long_numbers(a.tokens, a.channel, policy.redact_long_numbers, language)
        extra += scattered_numbers(a.tokens, a.channel, language)
        extra += recurring_readings(a.tokens, a.speech, a.channel, language)
        extra = long_number_lead_ins(extra, a.tokens, language, named=named[a.channel])
        extra = without_looped_digits(extra, a.tokens, closed_at, long)
        extra += answered_numbers(a.tokens, a.channel, timeline, policy.low_confidence, language)
        extra += health_context_findings(
            a.tokens, a.channel, health_ctx, language, terms=a.findings
        )
        found = keep_in_context(a.findings + extra, a.tokens, judged[a.channel], language)
        # ... and no finding starts or ends with the caller naming the detail ("il mio
        # cellulare è" heard "il mio 6 9 è", numbers.named_details)
        a.findings = _outside_requests(
            expand_health(a.tokens, found, language), a.tokens,
            request_words[a.channel] | named[a.channel],
        )  # fmt: skip
        # ... and a number's first digit heard as a word that sounds like one is its own
        a.findings = soundalike_heads(
            a.findings, a.tokens, language, request_words[a.channel] | named[a.channel]
        )
    agent = policy.agent_channel if len(analyses) == 2 else None
    solo = []  # the agent talking alone (two-channel calls; one-channel calls told apart)
    kept_solo = []  # ... and kept audible when unexplained (not a turn ASR lost)
    if agent is not None:
        solo = solo_speech(analyses[agent].speech, analyses[1 - agent].speech)
        # where the agent's channel wrote nothing, a read-back could not be found
        kept_solo = subtract_spans(solo, unwritten_turns(solo, analyses[agent].tokens, language))
    elif len(analyses) == 1 and language in SPLIT_LANGUAGES:
        one = analyses[0]
        agents = asking[one.channel] | set(agent_words(one.tokens, language))
        solo = _agent_turns(one, agents, misheard[one.channel])
        kept_solo = subtract_spans(solo, unwritten_turns(solo, one.tokens, language))
    # the channel whose turns ``solo`` are
    voiced = agent if agent is not None else (analyses[0].channel if solo else None)
    sensitive_of = {a.channel: {k for f in a.findings if f.entity_type in allowed
                                for k in range(f.first, f.last + 1)} for a in analyses}  # fmt: skip
    # words heard together as a phrase that is no detail, however unsure ASR was of each:
    # the caller naming the detail ("li manè" for "l'IBAN è") and saying since when
    # ("dalanno scorso")
    named_of = {a.channel: named[a.channel] | since_words(a.tokens, language) for a in analyses}
    # the rest of the breath of a caller's answer lead stamped short of it (lead_tails.py)
    tails_of = {a.channel: lead_tails(a.tokens, a.speech, language, sensitive_of[a.channel])
                for a in analyses}  # fmt: skip
    # where each channel made any sound: its voice activity and the soft sounds voice
    # activity missed (a soft-spoken letter of a code on a narrowband line, "C 3 5" of a
    # fiscal code, it-s13-008)
    sounding = {a.channel: a.sounding() for a in analyses}
    intervals, readbacks = place_findings(
        analyses, policy, language, allowed=allowed, windows=windows,
        request_words=request_words, misheard=misheard, lead_words=named_of,
        sensitive_of=sensitive_of, tails_of=tails_of, agent=agent, solo=solo,
        sounding=sounding,
    )  # fmt: skip
    found_all = [f for a in analyses for f in a.findings]
    tokens_of = [a.tokens for a in analyses]
    refs = {a.channel: reference_numbers(a.tokens, language, a.speech) for a in analyses}
    for w in answers:
        if w.entity_type not in allowed:
            continue
        if w.entity_type == "HEALTH":  # the lead-in, the condition, since when or why
            w = replace(w, start=after_lead(w.start, w.end, found_all, tokens_of, language),
                        end=said_before(until_follow_up(w.start, w.end, found_all, tokens_of,
                                                        language, speech=speech_of),
                                        tokens_of, speech_of))  # fmt: skip
        for a in analyses:
            spoken = [(max(s, w.start), min(e, w.end)) for s, e in sounding[a.channel]
                      if s < w.end and e > w.start]  # fmt: skip
            if a.channel == voiced:  # the agent talking alone is not answering
                spoken = subtract_spans(spoken, solo)
            # ... and the short pauses between its breaths are the answer's: voice activity
            # ends before a soft sound does ("zero sei" of a phone number, 17% audible)
            spoken = merge_spans(spoken, ANSWER_PAUSE)
            # ... but for the rest of the breath of a caller's answer lead before it
            spoken = subtract_spans(spoken, tails_of[a.channel], min_len=0.02)
            if w.entity_type == "PAYMENT_UNHEARD":  # an order number read into a loop (s18-034)
                spoken = subtract_spans(spoken, refs[a.channel])
            for s, e in spoken:
                intervals.append(Interval(s, e, a.channel, w.entity_type, 0.5, "AnswerWindowRule"))
    if "PAYMENT_UNHEARD" in allowed:
        # a code read out a character at a time, heard as guessed words (dictation.py)
        intervals += [
            Interval(max(0.0, s - policy.pad_before), e + policy.pad_after, a.channel,
                     "PAYMENT_UNHEARD", 0.5, "DictationRhythmRule")
            for a in analyses
            for s, e in dictated_rhythm(a.tokens, a.speech, policy.keep_word_confidence,
                                        language)
        ]  # fmt: skip
        found = [(iv.start, iv.end) for iv in intervals]  # findings, not other unheard
        asking = frozenset((b.tokens[k].start, b.tokens[k].end) for b in analyses
                           for k in request_words[b.channel])  # fmt: skip
        for a in analyses:
            # a region any channel's words explain is explained (the echo of the other
            # speaker on the agent channel is never transcribed there)
            # ... but for the other channel's words where this one wrote nothing while its
            # own voice spoke: they are its echo, and their guesses ("il cico mecomo")
            # are no account of it (it-s62-029)
            heard_by = [t for t in timeline if t.channel == a.channel
                        or not any(w.start <= t.start < w.end for w in own_drops[a.channel])]  # fmt: skip
            unheard = unexplained_speech(
                a.speech, heard_by, policy.explain_confidence, language=language,
                sure=policy.guessed_confidence(language),
                requests=asking,
            )  # fmt: skip
            # the speech of a misheard request is the agent asking, however unsure ASR
            # was of its words
            unheard = subtract_spans(unheard, [(s, e) for _f, _l, s, e in misheard[a.channel]])
            # ... and the speech of a closing or a goodbye, the agent closing the payment
            # or the call
            unheard = subtract_spans(unheard, [
                (t.start, min(t.end, t.start + plausible_length(0, len(t.text))))
                for k in sorted(closing[a.channel])
                if (t := a.tokens[k])
            ])  # fmt: skip
            # ... and the caller saying why they call ("vorrei pagare una bolletta")
            unheard = subtract_spans(unheard, [
                (t.start, min(t.end, t.start + plausible_length(0, len(t.text))))
                for k in sorted(intent_words(a.tokens, language))
                if (t := a.tokens[k])
            ])  # fmt: skip
            # ... and so are the phrases heard together (the caller naming the detail, "li
            # manè" for "l'IBAN è"; saying since when), for as long as their words take to say
            unheard = subtract_spans(unheard, [
                (t.start, min(t.end, t.start + plausible_length(0, len(t.text))))
                for k in sorted(named_of[a.channel] - sensitive_of[a.channel])
                if (t := a.tokens[k])
            ])  # fmt: skip
            # ... and so is an order number read after its label, between its digits
            unheard = subtract_spans(unheard, refs[a.channel])
            for s, e in unheard_to_redact(
                unheard, judged[a.channel], found, policy,
                solo=kept_solo if a.channel == voiced else (),
                readbacks=[(iv.start, iv.end) for iv in readbacks],
            ):  # fmt: skip
                intervals.append(
                    Interval(s, e, a.channel, "PAYMENT_UNHEARD", 0.5, "UnexplainedSpeechRule")
                )
    merged = merge_intervals(soft_onsets(intervals, speech_of), policy.merge_gap)
    tokens = {a.channel: a.tokens for a in analyses}
    bridged = bridge_in_windows(
        merged, windows, policy.payment_bridge, tokens, language, speech_of, request_words
    )
    return bridged, windows


def _agent_turns(a: ChannelAnalysis, asking: set[int], misheard) -> list[tuple[float, float]]:
    """The agent's turns of a one-channel call, where the two voices can be told apart
    surely (:func:`redactor.voices.split_voices`): the voice that says the agent's words
    (``asking``: the requests, closings and thanks for calling the channel heard; and
    its misheard requests) is the agent's. Empty when they cannot be: a caller naming the
    detail ("il numero della carta è ...") says a request's words too, and then both
    voices asked."""
    times = [a.tokens[k].start for k in sorted(asking)]
    times += [s for _f, _l, s, _e in misheard]
    split = split_voices(a.audio16k, a.speech, times)
    return split.agent if split is not None else []
