"""A health answer window around a condition the recognizers found in it: the lead-in
before it ("soffro di") and the follow-up after it ("dall'anno scorso") are the customer's
ordinary words, and stay audible when ASR heard them well enough.

The window is fail-closed for a condition ASR did not recognise: it silences the whole
answer after a lead-in heard well ("soffro di", "mi hanno diagnosticato"), or the whole
answer where none was. Once the condition itself was recognised, what is said before and
after it is judged by its words: a lead-in that sounds like one of ``cues.HEALTH_LEADS``
and consumes every word before the condition, and a clause opener after it.
"""

from __future__ import annotations

from dataclasses import replace
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

from redactor.cues import FUZZY_HEALTH_LEADS, HEALTH_LEADS, _phrases
from redactor.detect import Finding
from redactor.health_answers import YES_NO, _lead_by_tail, _opens_clause
from redactor.recognizers.health import TRIGGER_NAME
from redactor.since_clauses import since_words
from redactor.spans import breath
from redactor.tokens import Token
from redactor.unheard import crosses_pause, plausible_length

if TYPE_CHECKING:
    from redactor.answers import AnswerWindow

__all__ = ["after_lead", "after_question", "said_before", "until_follow_up"]


# what found a condition, not guessed one: the lexicon, and the words after a lead-in heard
# word for word ("mi hanno diagnosticato un insufficienza rena rechronica": no term of the
# lexicon, but the condition follows the lead-in)
_FOUND_BY = ("HealthRecognizer", TRIGGER_NAME)


# a condition recognised this soon (s) after a health answer window ends is its condition:
# the window ends where the term's article starts ("l'anno scorso ho avuto | un infarto",
# heard "l anno scorso ha muto un infarto"), and with no condition in it the lead-in and
# the clause before it were silenced as a condition misheard (it-s48-010, it-s48-030)
RIGHT_AFTER = 0.5


def _recognised(start: float, end: float, findings: list[Finding]) -> list[Finding]:
    return [
        f for f in findings
        if f.entity_type == "HEALTH" and f.recognizer in _FOUND_BY
        and start <= f.start < end + RIGHT_AFTER
    ]  # fmt: skip


def after_lead(
    start: float,
    end: float,
    findings: list[Finding],
    channels: list[list[Token]],
    language: str,
    most: int = 6,
) -> float:
    """Where a health answer window from ``start`` to ``end`` starts when the condition
    was recognised in it: at the condition (or at the article opening it), when the words
    before it on its channel are, bar an opening yes or no, a lead-in that sounds like one
    of ``cues.HEALTH_LEADS`` (``cues.FUZZY_HEALTH_LEADS``: "soffroni diamete" for "soffro
    di diabete", "mi hanno mi ha riuscicato un intufficienza" for "mi hanno diagnosticato
    un'insufficienza"). Every word before the condition must be part of the lead-in or
    that one article: "soffro di alma grave" with only "grave" recognised keeps its window
    from the start. With no condition recognised, after a lead-in heard well
    (:func:`_before_unfound`). ``start`` when no such lead-in is heard."""
    table = FUZZY_HEALTH_LEADS.get(language)
    found = _recognised(start, end, findings)
    if table is None:
        return start
    if not found:
        return _before_unfound(start, end, channels, language)
    first = min(found, key=lambda f: f.start)
    lead = [
        t
        for tokens in channels
        for t in tokens
        if t.channel == first.channel and start - 0.1 <= t.start and t.end <= first.start + 0.05
    ]
    yes_no = YES_NO.get(language, ())
    while lead and lead[0].text in yes_no:
        lead = lead[1:]
    # ... and a clause saying since when before the lead-in ("l'anno scorso ho avuto un
    # infarto", heard "l anno schorso ho ammuto": it-s19-024)
    since = since_words(lead, language)
    lead = lead[next((k for k in range(len(lead)) if k not in since), len(lead)) :]
    if not lead or len(lead) > most:
        return start
    opens = first.start
    if len(lead) > 1 and lead[-1].text in table["articles"]:
        opens, lead = lead[-1].start, lead[:-1]
    heard = _letters(lead)
    phrases = _joined_leads(language)
    # no more letters than the lead-in has, bar a few: "soffrodialma" is "soffro di" and
    # a word more, which may be the condition's first
    best = max(
        (SequenceMatcher(None, heard, p).ratio() for p in phrases if len(heard) <= len(p) + 3),
        default=0.0,
    )
    return max(start, opens) if best >= table["ratio"] else start


def _before_unfound(
    start: float,
    end: float,
    channels: list[list[Token]],
    language: str,
    most: int = 4,
    ratio: float = 0.8,
    sure: float = 0.8,
    back: float = 0.1,
) -> float:
    """Where a health answer window whose condition was not recognised starts: after a
    lead-in that opens the answer on every channel that speaks in it, and is followed by
    more words (the condition, misheard: "soffroni amete" for "soffro di diabete", "mi
    hanno miagnosticato lasclo"). A lead-in of eight letters or more (spaces left out)
    may be misheard (``ratio`` similar, at most two letters fewer or one more: a letter
    more may be the condition's first); a shorter one ("prendo", "ho un") must be heard
    word for word, each word with ``sure`` confidence. The window starts ``back`` s
    before the lead-in's last word ends (its stamp cut to what it takes to say): what
    follows is silenced as before. ``start`` when any speaking channel opens otherwise."""
    phrases = _joined_leads(language)
    yes_no = YES_NO.get(language, ())
    ends = []
    for tokens in channels:
        words = [t for t in tokens if start - 0.1 <= t.start < end]
        while words and words[0].text in yes_no:
            words = words[1:]
        if not words:
            continue
        last = None
        for n in range(1, min(most, len(words) - 1) + 1):
            heard = _letters(words[:n])
            if any(
                SequenceMatcher(None, heard, p).ratio() >= ratio
                and len(p) - 2 <= len(heard) <= len(p) + 1
                if len(p) >= 8
                else heard == p and all(t.probability >= sure for t in words[:n])
                for p in phrases
            ):
                last = words[n - 1]
        if last is None:
            return start
        ends.append(min(last.end, last.start + plausible_length(0, len(last.text))) - back)
    return max(start, min(ends, default=start))


def _joined_leads(language: str) -> list[str]:
    """``cues.HEALTH_LEADS`` written without spaces, as ASR glues them ("soffrodi")."""
    return [p.replace(" ", "") for p in HEALTH_LEADS.get(language, ())]


def _letters(words: list[Token]) -> str:
    """The letters of ``words`` written together, apostrophes left out."""
    return "".join(t.text for t in words).replace("'", "")


def until_follow_up(
    start: float,
    end: float,
    findings: list[Finding],
    channels: list[list[Token]],
    language: str,
    reach: float = 1.0,
    heard: float = 0.35,
    speech: dict[int, list[tuple[float, float]]] | None = None,
) -> float:
    """Where a health answer window from ``start`` to ``end`` ends when the condition was
    recognised in it (a finding of :data:`_FOUND_BY`) and a new clause opens right after it
    (:func:`_opens_clause`, its words heard at ``heard`` or more, within ``reach`` s:
    "diamete, dall (0.39) anno (0.99) scorso", "asma grave, per questo mi serve la
    copertura"; a recognised condition before it makes the clause likely, so a word ASR
    was fairly unsure of will do): at the clause's first word, on whichever of
    ``channels`` (each channel's tokens) heard it first. The clause says since when or why,
    not what, and was silenced with the window. With ``speech`` (each channel's voice
    activity), the window also ends with the condition's breath when a turn's pause
    follows it (:func:`_breath_end`). ``end`` when neither applies."""
    found = _recognised(start, end, findings)
    if not found:
        return end
    latest = max(found, key=lambda f: f.end)
    last = latest.end
    end = min(end, _breath_end(latest, speech or {}))
    opens = [
        t.start
        for tokens in channels
        for i, t in enumerate(tokens)
        if last - 0.05 <= t.start < min(end, last + reach)
        and _opens_clause(tokens, i, language, heard)
    ]
    return min(opens, default=end)


def _breath_end(
    condition: Finding, speech: dict[int, list[tuple[float, float]]], turn: float = 0.5
) -> float:
    """The end of the voice-activity region a recognised condition ends in, when its
    channel then pauses ``turn`` s or more: a condition is said in one breath, and talk
    after such a pause is the next turn ("qual è il numero della carta?" 0.57 s after
    "un'insufficienza renale cronica" on a one-channel call, stamped on from the
    condition with no pause and silenced with it). Infinite when there is no such pause."""
    regions = speech.get(condition.channel, [])
    for k, (s, e) in enumerate(regions):
        if s <= condition.end - 0.05 < e:
            later = regions[k + 1][0] if k + 1 < len(regions) else float("inf")
            return e if later - e >= turn else float("inf")
    return float("inf")


def said_before(
    end: float, channels: list[list[Token]], speech: dict[int, list[tuple[float, float]]]
) -> float:
    """Where a health answer window that ends at a word's start ends when that word was
    stamped over a pause (:func:`redactor.unheard.crosses_pause`): at the start of the last
    breath it overlaps, since which side of the pause it was said on is a guess and the
    breath before may be the condition's. "dall'anno scorso" after "prendo il coumadin" was
    stamped "dall" from 13.64 s, in the breath of "coumadin" (13.23-13.91 s), and said
    from 14.16 s: the window ended at the stamp, and a third of the drug's name stayed
    audible (it-s9-016)."""
    for tokens in channels:
        for t in tokens:
            regions = speech.get(t.channel, [])
            if abs(t.start - end) < 1e-6 and crosses_pause(t.start, t.end, regions):
                return max(s for s, e in regions if s < t.end and e > t.start)
    return end


def after_question(
    w: AnswerWindow,
    speech_of: dict[int, list[tuple[float, float]]],
    timeline: list[Token],
    language: str,
    longest: float = 1.5,
) -> AnswerWindow:
    """A health answer window that starts inside the breath its question was asked in
    starts after that breath, when the rest of it is short (``longest`` s) and the breath
    holds no yes or no: the question ran on after its cue ("ha qualche patologia che non viamo
    conoscere?"), and the customer answers after a pause. Other windows are returned as
    they are."""
    if w.entity_type != "HEALTH":
        return w
    yes_no = YES_NO.get(language, YES_NO["en"])
    for ch, speech in speech_of.items():
        region = breath(speech, w.start)
        if region is None or not w.start < region[1] < min(w.end, w.start + longest):
            continue
        # a yes or no anywhere in the breath makes it the customer's: "yes, I've got high
        # blood pressure" in one breath after a pause (en-s0-033, where only the words
        # after the lead-in were looked at, and the condition leaked)
        said = [  # ... stamped into it: "ho" stamped from 0.27 s before its breath (s23-025)
            t for t in timeline
            if t.channel == ch and t.end > region[0] + 0.05 and t.start < region[1]
        ]  # fmt: skip
        # ... and so does a health lead-in ("ho fatto un" before "bypass", where the
        # window starts after the lead: it-s16-009)
        # ... heard by its last word's tail too ("mi hanno mi hanno sticato la", it-s33-015:
        # the window moved past the condition when this was not looked for)
        if (
            not any(t.text in yes_no for t in said)
            and not _phrases([t.text for t in said], HEALTH_LEADS.get(language, ()))
            and _lead_by_tail(said, language) is None
        ):
            return replace(w, start=region[1])
    return w
