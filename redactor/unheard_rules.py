"""Which unexplained speech to redact: inside payment dialogues and next to findings,
but not the agent talking alone.

:mod:`redactor.unheard` finds the speech no word accounts for; this decides which of it
the pipeline silences."""

from __future__ import annotations

from policies.redaction import RedactionPolicy
from redactor.spans import subtract_spans
from redactor.unheard import PaymentWindow

__all__ = ["solo_speech", "utterance_starts", "unheard_to_redact"]


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
    the fiery 8") inside every payment dialogue were the largest single cost."""
    near = policy.redact_unexplained_speech_near_findings
    out: list[tuple[float, float]] = []
    starts = utterance_starts(unheard, policy.utterance_gap)
    for (s, e), u0 in zip(unheard, starts, strict=True):
        in_payment = any(u0 < w.end and e > w.start for w in windows)
        close = any(s < b + near and e > a - near for a, b in findings)
        spans = [(s, e)] if in_payment or close else []
        if spans and solo and not any(s < b + near and e > a - near for a, b in readbacks):
            spans = subtract_spans(spans, solo, 0.25)
        out += spans
    return out
