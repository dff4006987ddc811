"""Which unexplained speech to redact: inside payment dialogues and next to findings,
but not the agent talking alone.

:mod:`redactor.unheard` finds the speech no word accounts for; this decides which of it
the pipeline silences."""

from __future__ import annotations

from policies.redaction import RedactionPolicy
from redactor.spans import share, subtract_spans
from redactor.unheard import PaymentWindow

__all__ = ["agents_unheard", "solo_speech", "utterance_starts", "unheard_to_redact"]

# unexplained speech that runs into a payment dialogue is silenced from this long before
# the dialogue opened (a cue's stamp can start late), not from the start of its breath:
# "buongiorno, vorrei pagare una bolletta" heard "un giorno per me il pagamento l uoretta"
# opened the dialogue at "pagamento", and the whole unsure greeting before it was silenced
# (it-s17-025)
BEFORE_OPENING = 0.5


def solo_speech(
    own: list[tuple[float, float]], other: list[tuple[float, float]], margin: float = 0.15
) -> list[tuple[float, float]]:
    """Parts of one channel's voice activity (``own``) while the other channel of a
    two-channel call is silent (its regions widened by ``margin`` s for the echo delay):
    only this channel's speaker is talking. The customer's speech reaches the agent's
    channel as an echo, never the other way round, so the agent's solo speech is the agent
    alone."""
    widened = [(max(0.0, s - margin), e + margin) for s, e in other]
    return subtract_spans(own, widened, 0.1)


def utterance_starts(spans: list[tuple[float, float]], gap: float) -> list[float]:
    """For each of the sorted ``spans``, where its utterance starts: spans closer than
    ``gap`` s belong to one utterance (digits of a security code are separate voice-activity
    regions 60-500 ms apart, but one answer)."""
    out: list[float] = []
    start, prev_end = 0.0, None
    for s, e in spans:
        if prev_end is None or s - prev_end >= gap:
            start = s
        out.append(start)
        prev_end = e
    return out


def unheard_to_redact(
    unheard: list[tuple[float, float]],
    windows: list[PaymentWindow],
    findings: list[tuple[float, float]],
    policy: RedactionPolicy,
    solo: list[tuple[float, float]] | tuple = (),
    readbacks: list[tuple[float, float]] | tuple = (),
) -> list[tuple[float, float]]:
    """Which unexplained speech (one channel's, sorted) to redact: inside a payment dialogue
    or within ``redact_unexplained_speech_near_findings`` s of a finding.

    An unheard answer is judged by where its utterance starts (pieces closer than
    ``utterance_gap`` s): a window reaches just past the last question, and a security
    code's later digits are separate voice-activity regions of the same answer. On the
    agent's channel of a two-channel call, the agent talking alone (``solo``) is not
    redacted unless it is near a finding of the agent's own (``readbacks``): the agent
    gives no payment details except by reading them back, while misheard questions ("and
    the fiery 8") inside every payment dialogue were the largest single cost. Speech
    before a dialogue opened is no part of it (:data:`BEFORE_OPENING`), nor is speech that
    ends before a dialogue the caller's intent opened heard anything but that intent
    (``PaymentWindow.asked_by``): "buongiorno, vorrei pagare una bolletta" heard
    "buongorno muoveri pagamenta voleta" was silenced whole as unexplained speech in the
    dialogue its "pagamento" opened, on three two-channel calls of one corpus (it-s59-002,
    -018, -025, session 37)."""
    near = policy.redact_unexplained_speech_near_findings
    out: list[tuple[float, float]] = []
    starts = utterance_starts(unheard, policy.utterance_gap)
    for (s, e), u0 in zip(unheard, starts, strict=True):
        # the caller saying why they call is no answer: nothing was asked yet
        hit = [w for w in windows if u0 < w.end and e > w.start and w.asked_by(e)]
        close = any(s < b + near and e > a - near for a, b in findings)
        spans = [(s, e)] if hit or close else []
        if hit and not close:  # said before the dialogue opened is no part of it
            spans = [(max(s, min(w.start for w in hit) - BEFORE_OPENING), e)]
        if spans and solo and not any(s < b + near and e > a - near for a, b in readbacks):
            spans = subtract_spans(spans, solo, 0.25)
        out += spans
    return out


def agents_unheard(analysis, analyses: list, agent: int) -> list[tuple[float, float]]:
    """The regions a second decode left unheard on ``analysis``'s channel
    (``redecode.Redecoded``), but on the ``agent``'s channel of a two-channel call only
    those mostly of the agent talking alone: the rest is the customer's echo, which ASR
    never writes there, and the customer's own channel judges what was said (the
    customer's greeting, unheard on the agent's channel, was silenced on both,
    it-s17-009)."""
    if len(analyses) != 2 or analysis.channel != agent:
        return list(analysis.unheard)
    solo = solo_speech(analysis.speech, analyses[1 - agent].speech)
    return [(s, e) for s, e in analysis.unheard if share([(s, e)], solo) > 0.5]
