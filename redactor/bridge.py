"""The payment bridge: a short gap between two redactions in a payment dialogue, where the
channel heard nothing but digit-shaped words, is silenced too (``RedactionPolicy.payment_bridge``)."""

from __future__ import annotations

from redactor.align import Interval, merge_intervals
from redactor.cues import ANSWER_LEADS, COURTESY, DIGIT_SOUNDALIKES
from redactor.tokens import Token, homophones

__all__ = ["bridge_in_windows"]


# a bridge reaches this far past its channel's voice activity (speech the detector clipped)
BRIDGE_PAD = 0.1
# a gap this short (seconds) is bridged whatever was heard in it but a word of courtesy
# (``cues.COURTESY``, ``cues.ANSWER_LEADS``: "allora", "perfetto", "certo" between a card's
# pieces cost 0.4 points on two corpora when bridged): it holds a digit at most, not the
# conversation going on. "1 1 1 0 tingu (0.95) e (0.98) 2 111" for "... 3 5 2 1
# 1 1" left the 5 audible in a 0.53 s gap, and "e il numero 9 8" for "6 0 9 8" of a
# read-back its 0 in a 0.31 s one (it-s43-014, it-s43-029, session 27)
SHORT_BRIDGE = 0.6


def bridge_in_windows(
    intervals: list[Interval],
    windows,
    gap: float,
    tokens: dict[int, list[Token]],
    language: str = "en",
    speech: dict[int, list[tuple[float, float]]] | None = None,
    requests: dict[int, set[int]] | None = None,
) -> list[Interval]:
    """Fill a gap of at most ``gap`` s between two redactions of one channel when both lie
    in the same payment window and the channel heard nothing there but short words, the
    shape of a digit misheard ("for", "fine", "or", "to"); see
    ``RedactionPolicy.payment_bridge``. A longer word is the conversation going on, and so
    are two short words in a row that ASR was sure of and that sound like no digit ("let
    me read that back").

    With ``speech`` (each channel's voice activity), a bridge covers only where its
    channel spoke: every channel is silenced where any is, and a customer's channel that
    was quiet while the agent asked "and the expiry date?" bridged over the question.
    A word of a payment request (``requests``: each channel's token indices) is the talk
    going on too, however short ("and the x i are in aid" for "and the expiry date"). A
    gap of ``SHORT_BRIDGE`` s or less is bridged whatever its words, bar a word of
    courtesy."""
    digitlike = set(homophones(language)) | DIGIT_SOUNDALIKES.get(language, frozenset())
    courtesy = set(COURTESY.get(language, ())) | set(ANSWER_LEADS.get(language, ()))
    bridges = []
    for channel in {iv.channel for iv in intervals}:
        own = sorted((iv for iv in intervals if iv.channel == channel), key=lambda iv: iv.start)
        asked = (requests or {}).get(channel, set())
        for a, b in zip(own, own[1:], strict=False):
            heard = [
                (k, t)
                for k, t in enumerate(tokens.get(channel, ()))
                if t.end > a.end + 0.05 and t.start < b.start - 0.05
            ]
            if any(k in asked for k, _t in heard):
                continue
            heard = [t for _k, t in heard]
            if (
                0.0 < b.start - a.end <= gap
                and (
                    (b.start - a.end <= SHORT_BRIDGE and not _courtesy(heard, courtesy))
                    or (
                        all(len(t.text) <= 4 or t.is_number for t in heard)
                        and not _sure_words(heard, digitlike)
                    )
                )
                and any(w.start <= a.end and b.start <= w.end for w in windows)
            ):
                spans = [(a.end, b.start)]
                if speech is not None:
                    spans = [
                        (max(a.end, s - BRIDGE_PAD), min(b.start, e + BRIDGE_PAD))
                        for s, e in speech.get(channel, ())
                        if s - BRIDGE_PAD < b.start and e + BRIDGE_PAD > a.end
                    ]
                bridges += [
                    Interval(s, e, channel, b.entity_type, 0.5, "PaymentBridgeRule")
                    for s, e in spans
                ]
    return merge_intervals(intervals + bridges, 0.0) if bridges else intervals


def _courtesy(heard: list[Token], courtesy: set[str], least: float = 0.5) -> bool:
    """A word of ``courtesy`` ("perfetto", "allora", "certo") heard with probability
    ``least`` or more: the caller or the agent talking, not a digit misheard."""
    return any(t.text in courtesy and t.probability >= least for t in heard)


def _sure_words(heard: list[Token], digitlike, sure: float = 0.8) -> bool:
    """Two words in a row heard with probability ``sure`` or more, neither a number nor a
    word ASR writes for a digit."""
    run = 0
    for t in heard:
        word = not t.is_number and t.text not in digitlike and t.probability >= sure
        run = run + 1 if word else 0
        if run >= 2:
            return True
    return False
