"""Where a request's cue is, and how many words it takes: heard in a row or on one channel
with the other's words stamped among its own, its second word heard split after its first
("individso è mai" for "indirizzo email"), and the health lead-ins heard surely that make a
following "altro?" a health question. :func:`redactor.answers.contact_windows` opens the
answer windows from these."""

from __future__ import annotations

from redactor.alphabet import _fold
from redactor.cues import ARTICLES, HEALTH_LEADS, _cue_length, _phrases, _spoken_phrases
from redactor.phrases import alike
from redactor.tokens import Token
from redactor.unheard import trusted

__all__ = ["cue_hits", "sure_leads"]


def sure_leads(timeline: list[Token], language: str, sure: float) -> list[tuple[int, float]]:
    """``(index, end of its breath)`` of each health lead-in (``cues.HEALTH_LEADS``) heard
    word for word on one channel, every word of it ``sure``: of two words or more, or of
    one of six letters or more before an article ("prendo la")."""
    out = []
    leads = HEALTH_LEADS.get(language, ())
    for i in _spoken_phrases(timeline, leads):
        own = [t for t in timeline[i:] if t.channel == timeline[i].channel]
        n = _cue_length([t.text for t in own[:6]], 0, leads)
        if n == 1 and (len(own[0].text) < 6 or len(own) < 2 or own[1].text not in ARTICLES):
            continue
        if all(trusted(t, sure) for t in own[:n]):
            end = own[n - 1].end
            for prev, t in zip(own, own[1:], strict=False):
                if t.start - prev.end >= 0.5 or prev.sentence_end:
                    break
                end = t.end
            out.append((i, end))
    return out


def cue_hits(
    timeline: list[Token], words: list[str], phrases, fuzzy: bool
) -> list[tuple[int, int]]:
    """``(index, tokens up to the cue's last word)`` of each cue in the time line: heard in
    a row, or on one channel with the other channel's words stamped among its own (the
    echo's decoding loop stamped inside "la capa di ventità", it-s32-029)."""
    hits = {i: _cue_length(words, i, phrases) for i in _phrases(words, phrases, fuzzy)}
    hits = {
        i: n + _glued_next(timeline, i, phrases, fuzzy) if n == 1 else n for i, n in hits.items()
    }
    for i in _spoken_phrases(timeline, phrases, fuzzy):
        if i in hits:
            continue
        own = [k for k in range(i, len(timeline)) if timeline[k].channel == timeline[i].channel]
        n = _cue_length([timeline[k].text for k in own[:8]], 0, phrases)
        hits[i] = own[min(n, len(own)) - 1] - i + 1
    return sorted(hits.items())


def _glued_next(timeline: list[Token], i: int, phrases, fuzzy: bool, pause: float = 0.3) -> int:
    """How many words after a one-word cue at ``i`` (none, one or two, said on in its
    breath) are, written together, 0.8 alike the next word of a two-word phrase the cue
    starts: "l individso è mai" for "l'indirizzo email" matched "indirizzo" alone, and the
    "è mai" of the request was taken for the start of the answer (nine calls of three
    fresh Italian corpora, session 26). Only with ``fuzzy`` cues."""
    if not fuzzy:
        return 0
    tok = timeline[i]
    words = [t.text for t in timeline[max(0, i - 1) : i + 1]]  # the cue, the word before
    nexts = [p.split()[1] for p in phrases if len(p.split()) == 2
             and len(words) - 1 in _phrases(words, [p.split()[0]], fuzzy=True)]  # fmt: skip
    after = [t for t in timeline[i + 1 : i + 6] if t.channel == tok.channel][:2]
    glued, prev = "", tok
    for n, t in enumerate(after, start=1):
        if t.start - prev.end >= pause or t.is_number:
            break
        glued, prev = glued + _fold(t.text).replace("'", ""), t
        if any(alike(glued, _fold(w).replace("-", ""), 0.8, slack=1) for w in nexts):
            return n
    return 0
