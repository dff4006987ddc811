"""Health follow-ups: after a health answer, a short question asking for more of it
("altro?", "anything else?") opens another health answer, even when the recogniser could
not hear the question."""

from __future__ import annotations

from redactor.cues import COURTESY
from redactor.health_answers import _opens_clause
from redactor.tokens import Token

__all__ = ["FOLLOW_UP_SECONDS", "unheard_follow_up"]


# A follow-up question this soon after a health answer window continues the health topic.
FOLLOW_UP_SECONDS = 6.0
# A one-word follow-up heard a little above ``explain`` is still one when heard below this
# and no word of courtesy ("perfetto", "grazie": the agent moving on): "altro?" heard
# "aldo" (0.39) before "ho il diabete di tipo due", which leaked (it-s56-032, session 32)
GUESSED_QUESTION = 0.5


def unheard_follow_up(
    timeline: list[Token],
    end: float,
    explain: float,
    max_words: int = 3,
    max_seconds: float = 1.5,
    language: str = "en",
) -> int | None:
    """Index of the last word of a follow-up ASR could not hear: the first utterance after
    a health answer ending at ``end``, short (``max_words`` words, ``max_seconds`` long) and
    with no word heard at ``explain`` or more (``RedactionPolicy.explain_confidence``: a
    word below it explains no speech), like "albero" (0.20) for "altro?", or one word
    guessed at (:data:`GUESSED_QUESTION`). A short question
    after a health answer is asking for more of it, and the answer to it ("soffro di
    epilessia" heard "sopro mi e di le silla") is as unheard as the question was. A word
    heard ("perfetto", 0.5) is the agent moving on. An utterance that opens a new clause
    ("dall'anno scorso") is the customer still answering: the follow-up is looked for
    after it."""
    while True:
        said = _next_utterance(timeline, end)
        if said is None:
            return None
        if not _opens_clause(timeline, said[0], language):
            break
        end = timeline[said[-1]].end
    words = [timeline[k] for k in said]
    if len(words) > max_words or words[-1].end - words[0].start > max_seconds:
        return None
    if any(t.probability >= explain for t in words) and not _guessed_question(words, language):
        return None
    return said[-1]


def _guessed_question(words: list[Token], language: str) -> bool:
    """``words`` are one word heard below :data:`GUESSED_QUESTION`, no word of courtesy."""
    return (
        len(words) == 1
        and words[0].probability < GUESSED_QUESTION
        and words[0].text.strip(".,?!") not in COURTESY.get(language, ())
    )


def _next_utterance(timeline: list[Token], end: float) -> list[int] | None:
    """Indices of the words of the first utterance starting within ``FOLLOW_UP_SECONDS``
    after ``end``, on its first word's channel, up to a full stop or a pause of 0.5 s."""
    nxt = [k for k, t in enumerate(timeline) if t.start >= end]
    if not nxt or timeline[nxt[0]].start > end + FOLLOW_UP_SECONDS:
        return None
    said = [nxt[0]]
    for k in nxt[1:]:
        t, prev = timeline[k], timeline[said[-1]]
        if t.channel != prev.channel:
            continue
        if prev.sentence_end or t.start - prev.end >= 0.5:
            break
        said.append(k)
    return said
