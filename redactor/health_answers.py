"""Health answers: where the answer to a health question starts and ends, what follows a
lead-in ("I'm on", "prendo") in a health conversation, and how far a health mention runs
on into its dose ("three times a week"). ASR mishears conditions as confident ordinary
words, so these rules lean on the shape of the answer rather than on the words."""

from __future__ import annotations

from redactor.alphabet import _fold
from redactor.cues import (
    ASKING,
    BARE_YES,
    CLAUSE_OPENERS,
    FUZZY_CUES,
    HEALTH_LEADS,
    STRONG_HEALTH_LEADS,
    _cue_length,
    _phrases,
)
from redactor.detect import Finding
from redactor.health_leads import (  # noqa: F401 - YES_NO, _lead_end re-exported
    YES_NO,
    _heard_alike,
    _lead_by_tail,
    _lead_end,
    _misheard_leads,
)
from redactor.health_mentions import expand_health  # noqa: F401 - re-exported
from redactor.since_clauses import _since_clause
from redactor.tokens import Token
from redactor.unheard import _plausible_start, trusted

__all__ = [
    "health_context_findings",
    "expand_health",
    "after_yes_no",
    "unasked_answers",
    "YES_NO",
]


def _first_utterance_end(
    after: list[Token], limit: float, pause: float = 0.7, tail: float = 0.5, unsure: float = 0.0
) -> float:
    """Where the first utterance after a question ends, on whichever channel talks
    longest: at a pause of ``pause`` seconds after its second word, or a sentence end after
    its fourth, not counting a decoding loop's words ("Yes." alone does not end it), plus
    ``tail`` for the last words ASR often drops ("three times *a week*"), and never after
    ``limit``. 0.0 if nothing was said. A full stop on a word heard below ``unsure`` is
    as unsure as the word: "I'm meeting 3 people." (0.29) for "I'm being treated for"
    ended the answer before "depression", which leaked."""
    end = 0.0
    for ch in sorted({t.channel for t in after}):
        toks = [t for t in after if t.channel == ch and t.start < limit]
        if not toks:
            continue
        j = 0
        said = 1 if toks[0].probability > 0.0 else 0
        while (
            j + 1 < len(toks)
            and not (toks[j].sentence_end and said >= 4 and toks[j].probability >= unsure)
            and (toks[j + 1].start - toks[j].end < pause or j == 0)  # "Yes... I have"
        ):
            j += 1
            # a decoding loop's words (probability zeroed) are no words said: "sì mi hanno
            # mi hanno sticato." for "sì, mi hanno diagnosticato" is two, and the condition
            # after that full stop is still the first utterance
            said += toks[j].probability > 0.0
        end = max(end, min(toks[j].end + tail, limit))
    return end


def after_yes_no(
    start: float,
    end: float,
    timeline: list[Token],
    speech: dict[int, list[tuple[float, float]]],
    language: str,
    sure: float,
    longest: float = 0.8,
) -> float:
    """Where a health answer window starting at ``start`` should start when the answer
    opens with a short "yes" or "no" of its own: after that voice-activity region.

    The recogniser stamps a bare "yes" badly (zero length at 9.34 s for one said at
    8.80-9.23 s, or stretched 8.26-9.06 s back over the pause), so its word times cannot
    say where it ends; the voice activity can. The first region of every channel that
    speaks after ``start``, or that ``start`` falls in, must be at most ``longest`` s and
    followed by a pause, and the
    first word stamped in the earliest of them (allowing 0.5 s for late stamps) must be a
    confident yes or no; otherwise ``start`` stands."""
    firsts = []
    for regions in speech.values():
        # the region the window starts in counts too: a "yes" stamped 9.12-9.84 s for one
        # said at 9.34-9.79 s put the window's start (at most 0.45 s into the stamp) inside it
        later = [(s, e) for s, e in regions if e > start and s < end]
        if not later:
            continue
        (s, e), rest = later[0], later[1:]
        pause = rest[0][0] - e if rest else float("inf")
        if e - s > longest or pause < 0.15:
            return start
        firsts.append((s, e))
    if not firsts:
        return start
    s, e = min(firsts)
    said = [t for t in timeline if s - 0.2 <= (t.start + t.end) / 2 <= e + 0.5]
    # the first sure word, and every word stamped before it, a yes or no (the agent's
    # channel heard the echo's "yes" at 0.52 and stamped it first, the customer's at 0.89)
    sure_at = next((k for k, t in enumerate(said) if t.probability >= sure), None)
    yes_no = YES_NO.get(language, YES_NO["en"])
    if sure_at is None or any(t.text not in yes_no for t in said[: sure_at + 1]):
        return start
    return max(start, min(e for _s, e in firsts))


def unasked_answers(
    timeline: list[Token],
    speech: dict[int, list[tuple[float, float]]],
    covered: list[tuple[float, float]],
    language: str,
    sure: float,
    health_seconds: float = 8.0,
    longest: float = 0.8,
    before: float = 0.3,
    pause: float = 0.1,
    within: float = 1.5,
    turn: float = 0.5,
    phrase: float = 1.0,
    terms: list[tuple[float, float]] = (),
) -> list[tuple[float, float]]:
    """Health answer windows whose question ASR lost: a bare "sì" said as a turn of its own
    (a voice-activity region of at most ``longest`` s, after ``before`` s of silence on its
    channel, with one word of that channel stamped in it), then more talk from ``pause``
    to ``within`` s later, answers a yes/no question whatever the question was heard as
    ("ma quanto è fatto non mi hanno chiano" for "ha qualche patologia che dobbiamo
    conoscere?"). The details after that yes are what was asked; where no answer window
    or payment dialogue (``covered``) explains them, they are redacted as a health answer:
    the phrase after the yes (its channel's next voice-activity region, and the one after
    when that is shorter than ``phrase`` s and less than ``turn`` s later: a lead-in said
    apart), from the end of any lead-in, at most ``health_seconds`` and never past the
    first utterance of the words (:func:`_first_utterance_end`). The yes may be heard
    with any confidence ("si" at 0.12): a region that short holding one word is a short
    answer. When the recognizers found a health term in
    that utterance (``terms``: their time spans), the condition was heard and is redacted
    as a finding: no window. Only languages with a BARE_YES table."""
    yes = BARE_YES.get(language)
    if not yes:
        return []
    out: list[tuple[float, float]] = []
    for ch, regions in speech.items():
        regions = sorted(regions)
        for n, (s, e) in enumerate(regions):
            if e - s > longest or n + 1 >= len(regions):
                continue
            if n and s - regions[n - 1][1] < before:
                continue
            gap = regions[n + 1][0] - e
            if not pause <= gap <= within:
                continue
            said = [  # this channel's words: the other speaker's are stamped alongside
                t for t in timeline
                if t.channel == ch and s - 0.35 <= (t.start + t.end) / 2 <= e + 0.1
            ]  # fmt: skip
            texts = {t.text.strip(".,?!") for t in said}
            if len(texts) != 1 or not texts <= set(yes):
                continue
            after = [t for t in timeline if (t.start + t.end) / 2 > e + 0.05]
            if not after:
                continue
            # the answer is the phrase after the yes: its voice-activity region, and the
            # next one too when that is a lead-in said apart ("ho il ... morbo di
            # Parkinson"). What follows a pause ("..., tutto qui") is not guessed at, and
            # on a mono call the words alone ran on into the agent's next question
            m = n + 1
            if (
                regions[m][1] - regions[m][0] < phrase
                and m + 1 < len(regions)
                and regions[m + 1][0] - regions[m][1] < turn
            ):
                m += 1
            limit = min(e + health_seconds, regions[m][1])
            end = _first_utterance_end(after, limit)
            start = max(e, _lead_end(after, language, sure))
            explained = covered + out + list(terms)  # the question or the term was heard
            if end > start and not any(a < end and b > e - 0.5 for a, b in explained):
                out.append((start, end))
    return out


def health_context_findings(
    tokens: list[Token],
    channel: int,
    context: list[tuple[float, float]],
    language: str = "en",
    reach: int = 4,
    terms: list[Finding] = (),
) -> list[Finding]:
    """In a health conversation (``context``: time spans after a health question or a health
    finding), what follows "I'm on", "I take", "I've had" is health data even when ASR
    garbled it beyond the lexicon ("I'm on that for a minute" for "metformin"): up to
    ``reach`` tokens, stopping at a sentence end or a pause. A lead of
    ``cues.STRONG_HEALTH_LEADS`` ("soffro di", "I was diagnosed with") needs no context.

    When the word right after the lead starts a term the recognizers found (``terms``:
    this channel's findings), the lead's object was heard: that finding covers it, and
    the words after the term ("chemotherapy, so I need the cover") are not guessed at."""
    leads = HEALTH_LEADS.get(language, HEALTH_LEADS["en"])
    asking = ASKING.get(language, ())
    words = [t.text for t in tokens]
    said = [_fold(w) for w in words]  # "stò facendo" for "sto facendo" (it-s23-035)
    heard = {f.first: f.last for f in terms if f.entity_type == "HEALTH"}
    # ... a term of the lexicon, whose words end where the condition's name may go on
    named = {f.first for f in terms if f.recognizer == "HealthRecognizer"}
    fuzzy = language in FUZZY_CUES
    strong = set(_phrases(said, STRONG_HEALTH_LEADS.get(language, ()), fuzzy=fuzzy))
    out = []
    # a two-word lead heard glued into one word ("soffroni" for "soffro di") is one too,
    # and so is a one-word lead misheard right before an article ("trendo il tomadin")
    misheard = _misheard_leads(tokens, leads, language)
    found = set(_phrases(said, leads, fuzzy=fuzzy)) | set(misheard)
    for i in sorted(found):
        if i > 0 and words[i - 1] in asking and tokens[i].start - tokens[i - 1].end < 0.5:
            continue  # "can I take the long card number?": a request, not a medication
        j = i + max(_cue_length(said, i, leads), misheard.get(i, 0))
        if j >= len(tokens):
            continue
        if i not in strong and not any(s <= tokens[j].start <= e for s, e in context):
            continue
        if j in heard:
            out += _term_tail(tokens, channel, heard[j], language) if j in named else []
            continue
        k = j
        while (
            k + 1 < len(tokens)
            and k - j + 1 < reach
            and not tokens[k].sentence_end
            and (_plausible_start(tokens[k + 1]) - tokens[k].end < 0.7)
            and not _opens_clause(tokens, k + 1, language)
        ):
            k += 1
        out.append(
            Finding("HEALTH", 0.5, "HealthContextRule", channel, j, k, tokens[j].start,
                    tokens[k].end, " ".join(words[j : k + 1]))
        )  # fmt: skip
    return out


# the words a found term may run on into, in its breath: "un bypass coronarico" heard
# "un bypass l ongamico" (it-s32-016), "asma grave"; a pause this long (s) ends them
TERM_TAIL_WORDS = 2
TERM_TAIL_PAUSE = 0.3


def _term_tail(tokens: list[Token], channel: int, last: int, language: str) -> list[Finding]:
    """The rest of a condition whose head the recognizers found after a health lead: up to
    ``TERM_TAIL_WORDS`` words said on without a pause of ``TERM_TAIL_PAUSE`` s, before a
    sentence end, a number or a new clause ("chemotherapy, so I need the cover"). Only
    after a term of the lexicon: a trigger's span is the answer already, and one heard
    run on into the agent's next sentence ("la depressione la consegna ...") ran on
    into "5 giorni" (it-s31-017)."""
    k = last
    while (
        k + 1 < len(tokens)
        and k - last < TERM_TAIL_WORDS
        and not tokens[k].sentence_end
        and not tokens[k + 1].is_number
        and _plausible_start(tokens[k + 1]) - tokens[k].end < TERM_TAIL_PAUSE
        and not _opens_clause(tokens, k + 1, language)
    ):
        k += 1
    if k == last:
        return []
    words = " ".join(t.text for t in tokens[last + 1 : k + 1])
    return [Finding("HEALTH", 0.5, "HealthContextRule", channel, last + 1, k,
                    tokens[last + 1].start, tokens[k].end, words)]  # fmt: skip


def _opens_clause(tokens: list[Token], i: int, language: str, heard: float = 0.5) -> bool:
    """Token ``i`` opens a new clause ("so I need the cover", "since last year"): a word of
    ``cues.CLAUSE_OPENERS`` heard at ``heard`` or more, and the next word of its channel
    an ordinary word ASR was sure of. One word alone ("so" for a misheard syllable) is not
    enough; an opener of two words or more, each heard at ``heard`` or more ("dall anno
    scorso") or one surely and the rest guessed, is."""
    openers = CLAUSE_OPENERS.get(language, ())
    if i < len(tokens) and _since_clause(tokens, i, language):
        return True
    if i >= len(tokens):
        return False
    words = [t.text for t in tokens[i : i + 3]]
    if 0 not in _phrases(words, openers):
        return False
    n = _cue_length(words, 0, openers)
    said = [t.probability for t in tokens[i : i + n]]
    # ... or one of its words heard at 0.9 and the other at least guessed (0.3): "per"
    # (0.42) stamped over the pause before "questo" (0.98), it-s21-014
    if n >= 2 and (min(said) >= heard or (min(said) >= 0.3 and max(said) >= 0.9)):
        return True
    if tokens[i].probability < heard:
        return False
    nxt = [t for t in tokens[i + n :] if t.channel == tokens[i].channel][:1]
    return bool(nxt) and trusted(nxt[0], 0.7)


# Words of a health answer before a new clause can end it when neither its lead-in nor its
# condition was heard: a lead-in and a condition ("I take" + "sertraline")
CONDITION_WORDS = 3


def _words_since(after: list[Token], n: int, start: float) -> int:
    """Words of token ``n``'s channel said from ``start`` up to it."""
    return sum(1 for t in after[:n] if t.channel == after[n].channel and t.start >= start)
