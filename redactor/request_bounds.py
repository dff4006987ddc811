"""Where each request of a call starts: a request's cue (its sentence) and every closing
or goodbye end the answer open before them, so an answer window never runs on over the
agent's next question. Split from :mod:`redactor.answers`, which asks these."""

from __future__ import annotations

from bisect import bisect_left, insort

from policies.redaction import RedactionPolicy
from redactor.alphabet import _fold
from redactor.answer_edges import _request_start
from redactor.call_endings import (
    fuzzy_closings,
    fuzzy_goodbyes,
    praise_before,
    thanks_for_calling,
)
from redactor.cues import (
    ACKNOWLEDGEMENTS,
    CLOSING,
    CONTACT_CUES,
    FUZZY_CUES,
    GOODBYES,
    OWN,
    _phrases,
    _spoken_phrases,
)
from redactor.misheard import misheard_label
from redactor.tokens import Token, heard_at_once

__all__ = ["acknowledgements", "agent_words", "request_starts"]

# an acknowledgement (``cues.ACKNOWLEDGEMENTS``) this long (s) or more after the request
# before it ends that request's answer: sooner, it may be the caller's before answering
ACK_AFTER = 4.0
# ... heard at this probability or more: base heard the agent's "grazie" after a codice
# fiscale at 0.58 on one machine (it-s0-021, session 33; 0.69 on another), and the
# answer ran on over "la consegna arriva tra tre e cinque giorni". Every "grazie" heard at
# 0.4 to 0.6 on two corpora there was the agent's
ACK_SURE = 0.5


def _same_request(timeline: list[Token], last: int, words: int = 3, pause: float = 0.3) -> float:
    """The start of the last of the ``words`` words after a cue's last word (``last``)
    said on in its breath: no sentence end, no pause of ``pause`` s between them, no
    number (an answer run on from the request: "li va ait42i1076..." then "grazie per
    aver chiamato" 0.28 s after its last digit, it-s18-026). A cue starting there is more
    of the same request."""
    own, k = timeline[last].start, last
    for t in timeline[last + 1 : last + 1 + words]:
        prev = timeline[k]
        if prev.sentence_end or t.channel != prev.channel or t.start - prev.end >= pause:
            break
        if t.is_number or any(c.isdigit() for c in t.text):  # the answer has begun
            break
        own, k = t.start, k + 1
    return own


def _echoed(timeline: list[Token], n: int, reach: int = 8) -> bool:
    """Token ``n`` was heard on another channel too, at the same time: the same word."""
    t = timeline[n]
    near = timeline[max(0, n - reach) : n + reach]
    return any(_fold(o.text) == _fold(t.text) for o in heard_at_once(t, near))


def _request_end(timeline: list[Token], i: int, cue_words: int, pause: float) -> int:
    """The index of a request's last word, its cue starting at ``i``: its speaker talks on
    to a sentence end or a pause of ``pause`` s on their own channel, and the other
    channel's words said and done by then ("mm") are inside it. On a two-channel call the
    caller's words are stamped up to the next one over the agent's pauses: followed across
    both channels, the request ran on over the whole answer, and the caller's "sì, allora"
    was looked for after the code and silenced (it-s60-011, -021). A word of the caller's
    still going on when the request ends opens the answer ("allora" stamped from before
    the agent's last word ended, it-s0-036). Past the cue, a word heard on the other
    channel at the same time is the caller's, echoed on the agent's line: the answer has
    begun, however closely it follows ("il mio cellulare è" stamped on from "telefonico"
    with no pause, it-s0-024). A one-channel call is the same walk."""
    channel = timeline[i].channel
    last = i
    for n in range(i + 1, len(timeline)):
        t = timeline[n]
        if t.channel != channel:
            continue
        if timeline[last].sentence_end or t.start - timeline[last].end >= pause:
            break
        if n > i + cue_words - 1 and _echoed(timeline, n):
            break  # the caller's word, heard on both channels: the answer has begun
        last = n
    k = last
    while (
        k + 1 < len(timeline)
        and timeline[k + 1].channel != channel
        and timeline[k + 1].end <= timeline[last].end
    ):
        k += 1
    return k


def request_starts(timeline: list[Token], policy: RedactionPolicy, language: str) -> list[float]:
    """When each request of the call (its cue's sentence, :func:`_request_start`) and each
    goodbye starts, sorted: each ends the answer open before it."""
    sure = policy.sure_confidence
    requests = [_request_start(timeline, i, sure) for i in _request_cues(timeline, language)]
    # the call closing ("thank you for calling, goodbye") ends any answer, however unsure
    # ASR was of one of its words
    goodbyes = _spoken_phrases(timeline, GOODBYES.get(language, GOODBYES["en"]))
    goodbyes += fuzzy_goodbyes(timeline, language)
    # ... and so does the payment's closing and the order number's label, however ASR
    # heard them: "grazie, il pagamento è andato a buon fine, il numero d'ordine è" heard
    # "e faci intangamento andato a montire il numero di me" closed the payment dialogue,
    # but the security code's window ran on over it and the order number (it-s18-039)
    goodbyes += _spoken_phrases(timeline, CLOSING.get(language, CLOSING["en"]))
    closings = sorted(fuzzy_closings(timeline, language))
    goodbyes += closings
    # ... from the agent's praise before it where the closing was found by it
    praised = (praise_before(timeline, i, language) for i in closings)
    requests += [timeline[p].start for p in praised if p is not None]
    goodbyes += [k - 1 for k in range(1, len(timeline)) if misheard_label(timeline, k, language)]
    requests += [_request_start(timeline, i, sure) for i in goodbyes]
    requests.sort()
    # ... and the agent acknowledging the answer, some seconds after its request
    for at_time in acknowledgements(timeline, language):
        at = bisect_left(requests, at_time)  # the request before it, the latest
        if at and at_time - requests[at - 1] >= ACK_AFTER:
            insort(requests, at_time)
    return requests


def _request_cues(tokens: list[Token], language: str) -> list[int]:
    """Indices in ``tokens`` where a request's cue starts, not after "my" ("my phone
    number": an answer, no request)."""
    cues = CONTACT_CUES.get(language, CONTACT_CUES["en"])
    words = [t.text for t in tokens]
    own = OWN.get(language, ())
    return [
        i
        for ps in cues.values()
        for i in _phrases(words, ps, language in FUZZY_CUES)
        if not (i > 0 and words[i - 1] in own)
    ]


def agent_words(tokens: list[Token], language: str) -> list[int]:
    """Indices of the words only the agent says: a request's cue (not after "my": "il mio
    numero di cellulare è" is the caller's), the payment's closing however misheard, and
    the agent thanking the caller for calling. Goodbyes and thanks are not among them:
    both speakers say those."""
    out = _request_cues(tokens, language)
    out += _spoken_phrases(tokens, CLOSING.get(language, CLOSING["en"]))
    out += fuzzy_closings(tokens, language)
    out += thanks_for_calling(tokens, language)
    return sorted(set(out))


def acknowledgements(timeline: list[Token], language: str) -> list[float]:
    """When the agent acknowledged an answer (``cues.ACKNOWLEDGEMENTS``), sorted: heard
    at :data:`ACK_SURE` or more, and said as a word of its own, no word of its channel
    under 0.3 s before it ("no, grazie" is the caller's). It ends an answer only some
    seconds (:data:`ACK_AFTER`) after the answer was asked for or began: sooner, it may be
    the caller's own."""
    out = []
    for i in _spoken_phrases(timeline, ACKNOWLEDGEMENTS.get(language, ())):
        tok = timeline[i]
        prev = next((timeline[j] for j in range(i - 1, -1, -1)
                     if timeline[j].channel == tok.channel), None)  # fmt: skip
        if tok.probability >= ACK_SURE and (prev is None or tok.start - prev.end >= 0.3):
            out.append(tok.start)
    return sorted(out)
