"""Answer windows: after a request for a phone number, e-mail, IBAN, an identity code or
health details, what the customer says is redacted until the conversation has moved on,
because spelled-out details are the words speech recognition mangles most. Where a health
answer starts and ends is :mod:`redactor.health_answers`."""

from __future__ import annotations

from policies.redaction import RedactionPolicy
from redactor.alphabet import _fold, spelling_link
from redactor.answer_edges import (  # noqa: F401 - _request_start re-exported
    CODE_CHARACTERS,
    NO_ANSWER,
    SHORT_ANSWERS,
    AnswerWindow,
    _answer_opens,
    _answered,
    _answering,
    _dated,
    _dictating,
    _digits,
    _opening_end,
    _request_start,
    characters,
    code_goes_on,
    run_closes,
    run_word,
)
from redactor.cue_hits import cue_hits, sure_leads
from redactor.cues import (
    CONTACT_CUES,
    DICTATION,
    FOLLOW_UPS,
    FUZZY_CUES,
    _cue_length,
    _phrases,
)
from redactor.dictation_windows import (
    DICTATION_CAP,
    DICTATION_TAIL,
    after_asked,
    dictation_windows,
)
from redactor.follow_ups import FOLLOW_UP_SECONDS, unheard_follow_up
from redactor.health_answers import (
    CONDITION_WORDS,
    _first_utterance_end,
    _lead_end,
    _opens_clause,
    _words_since,
)
from redactor.phrases import alike
from redactor.quantities import harmless_numbers
from redactor.request_bounds import _request_end, _same_request, request_starts
from redactor.stamps import GLUED  # words closer than this are one stretch of sound
from redactor.tokens import Token
from redactor.unheard import trusted

# the caller's opening words ("sì, allora") start an answer this soon after its request
# at most, seconds, unless the request ran on for no more than so many words after its cue
# ("il codice di sicurezza? sono le tre cifre sul retro", then "allora")
OPENING_REACH = 3.0
RUN_ON_WORDS = 8
# a request ends at a pause this long (s) or a sentence end
REQUEST_PAUSE = 0.5
# A code cannot have been read out faster than this many characters a second: before its
# characters could have been said, a run of sure words in its answer is its characters
# misheard ("cinto e nuo e" at 0.8-0.9 for "cinque due tre sette" in an IBAN), not the
# talk moving on. Characters per code, where the length is fixed (Italian)
READ_RATE = 2.5

__all__ = [
    "AnswerWindow",
    "contact_windows",
    "dictation_windows",
    "request_starts",
]


def contact_windows(
    timeline: list[Token],
    policy: RedactionPolicy,
    language: str = "en",
    max_seconds: float = 15.0,
    close_run: int = 4,
    health_seconds: float = 8.0,
    terms: list[tuple[float, float]] = (),
    requests: list[float] | None = None,
) -> list[AnswerWindow]:
    """Windows from the end of a request for a phone number, e-mail or IBAN (skipping the
    rest of the request sentence) to the first run of ``close_run`` confidently recognised
    ordinary words (the conversation has moved on) or the next such request, at most
    ``max_seconds`` long. The next request ends the answer even when ASR was unsure of one
    of its words ("and you're email address"): it is the agent asking, not the customer
    answering.

    The answer to a health question is different: ASR mishears a condition as confident
    ordinary words ("I love pressure" for "I've got high blood pressure"), so a run of them
    proves nothing there. Its window covers the customer's first utterance, at most
    ``health_seconds``, unless the recognizers found a health term in it (``terms``: their
    time spans): then the condition was heard and is redacted as a finding, and the rest of
    the utterance ("so I need the cover") is kept from the first run of confident words
    on. It never runs past that utterance: the next one is the agent's. A follow-up ("anything else?")
    asked soon after a health answer is a health question too."""
    cues = CONTACT_CUES.get(language, CONTACT_CUES["en"])
    words = [t.text for t in timeline]
    sure = policy.sure_confidence
    fuzzy = language in FUZZY_CUES
    if requests is None:  # the caller may have them already (:func:`request_starts`)
        requests = request_starts(timeline, policy, language)
    # on a two-channel call the agent's channel carries the answer's echo and then the
    # agent's next question: how long a health answer runs is read off the customer's
    agent = policy.agent_channel if len({t.channel for t in timeline}) == 2 else None
    # the quantities of the call ("ci sono 2 articoli"), which no dictation is made of
    counted = frozenset(
        (q.start, q.channel) for q in harmless_numbers(timeline, language)
    ) if language in DICTATION else frozenset()  # fmt: skip
    out: list[AnswerWindow] = []
    for entity, phrases in cues.items():
        for i, cue_words in cue_hits(timeline, words, phrases, fuzzy):
            w = _answer_window(
                timeline, i, cue_words, entity, requests, sure,
                language, max_seconds, close_run, health_seconds, terms, agent,
                policy.explain_confidence, counted,
            )  # fmt: skip
            out += [w] if w else []
    # two cues of one request ("la partita" and "partita iva" in "la partitima"): one
    # answer, from the later start (the earlier one is the request's own word)
    out = [w for w in out if not any(
        v.entity_type == w.entity_type and v.end == w.end and v.start > w.start for v in out
    )]  # fmt: skip
    out = list(dict.fromkeys(out))
    follow_ups = FOLLOW_UPS.get(language, FOLLOW_UPS["en"])
    # accents folded: "altro?" heard "altrò" (it-s7-036, it-s4-001)
    folded = [_fold(w) for w in words]
    follow = _phrases(folded, follow_ups)
    if fuzzy:  # ... and misheard: "altro?" heard "aldro" (it-s22-016)
        singles = [f for f in follow_ups if " " not in f and "'" not in f and len(f) >= 5]
        follow = sorted(set(follow) | {
            i for i, w in enumerate(folded)
            if any(w != f and alike(w, f, 0.8, slack=1) for f in singles)
        })  # fmt: skip
    todo = [w for w in out if w.entity_type == "HEALTH"]
    # ... and so is one asked after a health lead-in heard word for word and surely ("sì,
    # prendo la metformina", the question before it misheard): "altro?" then "ho il
    # diabete di tipo due" opened no window, and the condition leaked (it-s37-016)
    todo += [
        AnswerWindow(timeline[i].start, end, "HEALTH")
        for i, end in sure_leads(timeline, language, sure)
    ]
    # ... and so is one asked after a condition the recognizers heard, its question not:
    # "aldo" for "altro?" after "tumore al cielo", and "ho il diabete di tipo due" opened no
    # window (it-s56-032, session 32). From the end of the utterance the term is said in
    todo += [
        AnswerWindow(s, end, "HEALTH")
        for s, _e in terms
        if (end := _first_utterance_end([t for t in timeline if t.start >= s], s + health_seconds))
    ]
    while todo:  # a follow-up to a follow-up is one too
        last = todo.pop()
        unheard = unheard_follow_up(
            timeline, last.end, policy.explain_confidence, language=language
        )
        for i in follow + ([unheard] if unheard is not None else []):
            if last.end - 1.0 <= timeline[i].start <= last.end + FOLLOW_UP_SECONDS:
                n = _cue_length(words, i, follow_ups)
                w = _answer_window(timeline, i, n, "HEALTH", requests, sure, language,
                                   max_seconds, close_run, health_seconds, terms,
                                   agent, policy.explain_confidence)  # fmt: skip
                if w and w.end > last.end + 0.1 and w not in out:
                    out.append(w)
                    todo.append(w)
    if language in DICTATION:
        dictated = dictation_windows(
            timeline, policy, language, requests, max_seconds, close_run, counted
        )
        out += [after_asked(w, out, requests) for w in dictated]
    return out


def _answer_window(
    timeline: list[Token],
    i: int,
    cue_words: int,
    entity: str,
    requests: list[float],
    sure: float,
    language: str,
    max_seconds: float,
    close_run: int,
    health_seconds: float,
    terms: list[tuple[float, float]] = (),
    agent: int | None = None,
    explain: float = 0.0,
    counted: frozenset[tuple[float, int]] = frozenset(),
) -> AnswerWindow | None:
    """The answer window of the request whose cue starts at token ``i`` (see
    :func:`contact_windows`), or None when it is empty. ``agent`` is the agent's channel
    on a two-channel call; a health answer's first utterance does not end at a full stop
    on a word heard below ``explain``."""
    # skip to the end of the request: a sentence end or a pause of REQUEST_PAUSE s
    if entity != "HEALTH":
        k = _request_end(timeline, i, cue_words, REQUEST_PAUSE)
    else:
        k = i
        while (
            k + 1 < len(timeline)
            and not timeline[k].sentence_end
            and (timeline[k + 1].start - timeline[k].end < REQUEST_PAUSE)
            and not _answer_opens(timeline, k + 1, language)
            # on a two-channel call the other channel speaking is the customer answering
            # (tiny.en ran "anything else" into "I was diagnosed with ..." 0.34 s later)
            and timeline[k + 1].channel == timeline[i].channel
            and not _answered(timeline, i + cue_words - 1, k + 1, terms)
        ):
            k += 1
    # ... but the answer may run on from the request with no pause and no full stop
    # ("... email address is not missed at mail co uk"): past the cue, the first
    # word ASR was unsure of starts the answer. The window only grows backwards:
    # the talk moving on is still looked for after the request's end as above.
    first = i + cue_words - 1
    while first < k and trusted(timeline[first + 1], sure):
        first += 1
    start = timeline[first].end
    end = timeline[k].end + max_seconds
    if entity == "HEALTH":  # a health answer starts after its lead-in, if it has one
        after = _answering(timeline[k + 1 :])
        start = max(start, _lead_end(after, language, sure))
    else:  # ... and a code's after the caller's opening words ("sì, allora")
        opening = _opening_end(_answering(timeline[k + 1 :]), language, sure)
        # ... said soon after the request: when ASR ran the request on over the answer and
        # the next question with no pause ("la scavenza nella carta ma non lo mi lamenti
        # nome mi serve anche il che dice di sicurezza", it-s7-008), the "allora" after
        # them opens the next answer, and the expiry before it leaked
        if opening - start <= OPENING_REACH or k - first <= RUN_ON_WORDS:
            start = max(start, opening)
    # runs are counted per channel: the customer's echo on the agent's channel is
    # transcribed too, and two channels' copies of "three times a week" are not a
    # run of four words
    runs: dict[int, tuple[int, float, int]] = {}  # channel: words, start, sure words
    before: dict[int, Token] = {}  # each channel's previous word
    # a code dictated with the spelling alphabet ("G come Genova, N come Napoli, 5 9 ...")
    # takes longer than max_seconds, and its letters' names are heard as sure words ("ma è
    # il ve" before "come napoli"): the answer lasts while the dictation does
    spelling = entity != "HEALTH" and language in DICTATION
    link = spelling_link(language)
    cap = timeline[k].end + DICTATION_CAP
    # counted from the answer's first word: the pause before it is no time to read it in.
    # The answer may have run on inside the request's breath: an IBAN read from 19.7 s
    # straight after "e riman per la debito" was counted from its last group (27.8 s),
    # and the agent's "ci sono 2 articoli" at 33.5 s was taken for its characters
    # (it-s35-031)
    said_from = next((t.start for t in timeline[i + 1 :] if t.start >= start), start)
    said_by = said_from + (CODE_CHARACTERS.get(entity, 0) / READ_RATE if spelling else 0.0)
    for n, t in enumerate(timeline[k + 1 :], start=k + 1):
        if t.start >= end:
            break
        if entity == "HEALTH" and t.start < start:
            continue  # a health answer's lead-in ("I was diagnosed with") is no talk moving on
        prev, before[t.channel] = before.get(t.channel), t
        # ... but a quantity (``counted``: "ci sono 2 articoli") is no character of it
        if spelling and _dictating(t, language, counted):
            end = max(end, min(t.end + DICTATION_TAIL, cap))
            runs[t.channel] = (0, t.start, 0)
            continue
        # a health answer runs on over a misheard "altro?" into the next condition ("dall
        # anno scorso albero sopro mi e di le silla", it-s0-015): only sure words close it
        # ... and a quantity ("ci sono 2 articoli nel carrello") is ordinary talk
        weight = run_word(t, sure, counted) if entity != "HEALTH" else 2 * trusted(t, sure)
        if not weight:
            runs[t.channel] = (0, t.start, 0)
            continue
        run, run_start, sure_n = runs.get(t.channel, (0, t.start, 0))
        if run and prev is not None and (prev.sentence_end or t.start - prev.end >= 0.7):
            # a run is one stretch of talk: "... dot UK." then, after a pause, "and the
            # account for the refund" is not four sure words of the answer
            run, sure_n = 0, 0
        if run == 0 and _glued_to_guess(t, prev, sure):
            runs[t.channel] = (0, t.start, 0)
            continue
        if run == 0:
            run_start = t.start
        sure_n += weight == 2
        runs[t.channel] = (run + 1, run_start, sure_n)
        if run_closes(run + 1, sure_n, close_run):
            nxt = next((u for u in timeline[n + 1 :] if u.channel == t.channel), None)
            if spelling and nxt is not None and nxt.text == link and nxt.start - t.end < 0.5:
                continue  # the run was a letter's name misheard, its link comes next
            if (
                spelling and code_goes_on(timeline, n, language, counted)
                and characters(
                    [u for u in timeline[k + 1 : n] if u.channel == t.channel
                     and said_from <= u.start < run_start], language
                ) < CODE_CHARACTERS.get(entity, 0)
            ):  # fmt: skip
                continue  # ... or a stretch of them, fewer than the code has
            if run_start < said_by:
                continue  # too soon: the code's own characters misheard
            end = min(end, run_start)
            break
    if entity == "HEALTH":
        limit = timeline[k].end + health_seconds
        customer = [t for t in after if t.channel != agent] or after
        said = _first_utterance_end(customer, limit, unsure=explain)
        heard = [e for s, e in terms if s < said and e > start]  # the terms' ends
        end = min(end, said) if heard else said
        # a new clause after the condition ("so I need the cover") is no longer the
        # condition. After a term heard, any; after a lead-in the lead-in rule covers
        # ("I take", or just "yes"), one with a word of the condition before it ("yes,
        # since last year I've had asthma" has none); with neither heard ("I take
        # sertraline for anxiety" as "I think they are relying for an ipad"), one after
        # CONDITION_WORDS words of the answer: room for a lead-in and its condition
        room = 0 if heard else 1 if start > timeline[first].end else CONDITION_WORDS
        last = max(heard, default=start)
        opener = next(
            (t.start for n, t in enumerate(after)
             if t.start >= last and _opens_clause(after, n, language)
             and _words_since(after, n, start) >= room),
            None,
        )  # fmt: skip
        end = min(end, opener) if opener is not None and opener > start else end
    elif entity in SHORT_ANSWERS:
        # an expiry is one short answer ("undici barra ventotto"): the agent's next question
        # after it, however misheard, is not part of it. It starts where the window does:
        # an answer run on from the request with no pause ("expiry date january 20 27")
        # is inside the request's sentence, and the utterance after that is the question.
        # When the words after the cue hold no digit and no month ("la scavenza nella
        # carta" with "nella" unsure), they are the rest of the request, and the answer is
        # the utterance after it
        # A security code is one too ("sette zero sei"), and the words after its cue
        # hold no digit when they are the rest of the request ("sono le tre cifre sul
        # retro")
        said = timeline[first + 1 :]
        answer_like = _dated if entity == "CARD_EXPIRY" else _digits
        if not any(answer_like(t, language) for t in timeline[first + 1 : k + 1]):
            said = timeline[k + 1 :]
        # ... and never one over before the window starts: "sono le 4 cittere sul fronte"
        # (the question's own count) then "allora" and the code; the window, starting
        # after "allora", ended with the question and was empty (it-s25-002, a leak)
        said = [t for t in said if t.end > start] or said
        end = min(end, max(_first_utterance_end(said, end), start))
    # a cue said a few words on in the request's own breath is the same request ("e
    # l'IBAN per l'addebito?" heard "e il man per la debito": "debito" ended the IBAN's
    # answer before it began, and the IBAN's first group leaked, it-s19-017)
    own = _same_request(timeline, first)
    asked = min((r for r in requests if start < r < end and r > own), default=end)
    if asked < end and asked - start < NO_ANSWER:
        # the next request this soon is the agent still asking ("il codice di sicurezza?
        # sono le 3 cifre sul retro"): no one answered in between
        return None
    end = min(end, asked)
    return AnswerWindow(start, end, entity) if end > start else None


def _glued_to_guess(tok: Token, prev: Token | None, sure: float) -> bool:
    """``tok`` follows, with no pause, a word the recogniser guessed (or a number): it may
    be the end of what was guessed, and cannot start the run of words that closes an
    answer, whose first word is where the answer ends. "ma 2 milamenti nette (0.73) mi
    ferme anche" for "maggio duemilaventisette, mi serve anche ...": the run from "nette"
    ended an expiry's window before the year's "sette", which stayed audible (it-s28-029,
    session 25)."""
    return prev is not None and tok.start - prev.end < GLUED and not trusted(prev, sure)
