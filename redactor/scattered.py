"""Numbers read out in groups that the recogniser heard only in part (Italian): the digits
it did hear, scattered among the words it misheard the rest as, are one long number."""

from __future__ import annotations

from dataclasses import replace

from redactor.alphabet import LETTER_NAMES, SPELLING_ALPHABET
from redactor.cues import (
    ANSWER_LEADS,
    CONTACT_CUES,
    DICTATION,
    OWN,
    PAYMENT_CUES,
    REFERENCE_LABELS,
    UNITS,
)
from redactor.detect import Finding
from redactor.dictation import _loops
from redactor.numbers import _lead_in_verb, _run_end, complete_card, named_details
from redactor.quantities import _after_label
from redactor.tokens import Token, homophones, lone_digit_words
from redactor.unheard import trusted

__all__ = ["long_number_lead_ins", "recurring_readings", "scattered_numbers"]


def scattered_numbers(
    tokens: list[Token],
    channel: int,
    language: str,
    min_digits: int = 10,
    max_between: int = 4,
    max_gap: float = 2.0,
    sure: float = 0.8,
    pause: float = 0.5,
    long_run: int = 8,
    dense: int = 6,
) -> list[Finding]:
    """Number tokens of one channel joined over up to ``max_between`` other words, none
    a unit and at most one heard with ``sure`` confidence, with at most ``max_gap`` s
    between two numbers: when they hold ``min_digits`` digits or more, someone is reading
    out a long number (an IBAN, read in groups of four) and the words between are its
    misheard digits and letters. An IBAN after a misheard request ("e li manpe la femmito"
    for "e l'IBAN per l'addebito?") came back as "0 3 0 3252 e il 3 non menome non è 45
    mette 8 0 344": no run of eight digits in a row, so the long-number rule left it all
    audible. Ten digits: a partita IVA has eleven, and "4 6 2 8 5 9 5 0 6 4 1" read after
    a misheard request came back with one of them a word ("nome" for "nove") and no run of
    eight, so the whole number leaked (it-s39-027). Only for languages in
    ``cues.DICTATION``; a reference label before the first
    number keeps one of under 13 digits audible, as in every number rule. Up to two
    unsure words said after the last number with no ``pause`` belong to it too. Numbers
    that hold a run of ``long_run`` digits were heard, and their findings cover them: no
    joining there (a card joined to its expiry and read-back silenced the questions
    between). Two such readings of ``dense`` digits or more each, at most twice
    ``max_gap`` apart with mostly unsure words between them, are one number: a whole group
    misheard as words ("sette due sei sette" as "e che nue è i fette") is no talk moving
    on."""
    if language not in DICTATION:
        return []
    units = UNITS.get(language, ())
    labels = REFERENCE_LABELS.get(language, ())
    numeric = [t.is_number for t in tokens]
    nums = [k for k, t in enumerate(tokens) if t.is_number]
    groups: list[list[int]] = []  # positions in nums, first and last
    n = 0
    while n < len(nums):
        m = n
        while m + 1 < len(nums) and _joins(tokens, nums[m], nums[m + 1], units, max_between,
                                           max_gap, sure):  # fmt: skip
            m += 1
        groups.append([n, m])
        n = m + 1

    def heard(group) -> bool:
        # a run the long-number rule finds on its own was heard: joining it to numbers
        # around it (a card, its expiry, its read-back) only silences the talk between
        return bool(_long_runs(tokens, nums[group[0] : group[1] + 1], numeric, language,
                               long_run))  # fmt: skip

    def labelled(group) -> bool:
        # a group read after a reference label is that reference ("il numero d'ordine è
        # ..."), not the rest of a code read before it
        return _after_label(tokens, nums[group[0]], labels, language=language)

    groups = _join_dense(tokens, nums, groups, units, dense, 2 * max_gap, heard, sure, labelled)
    groups = [g for group in groups for g in _after_heard(tokens, nums, group, numeric, language,
                                                          long_run, dense, min_digits)]  # fmt: skip
    out: list[Finding] = []
    for n, m, read, first in groups:  # ``read``: the digits of the whole reading
        last = nums[m]
        digits = "".join(tokens[k].digits for k in nums[n : m + 1])
        nxt = tokens[last + 1].text if last + 1 < len(tokens) else ""
        harmless = nxt in units or (
            _after_label(tokens, first, labels, language=language) and len(digits) < 13
        )
        # its last group's digits misheard as words run on after its last number ("344 e
        # inono" for "tre quattro, quattro sei uno"): up to two unsure words, no pause
        while (
            last + 1 < len(tokens) and last - nums[m] < 2 and not harmless
            and not trusted(tokens[last + 1], sure)
            and tokens[last + 1].start - tokens[last].end < pause
        ):  # fmt: skip
            last += 1
        if m > n and read >= min_digits and not harmless and not heard((n, m)):
            out.append(
                Finding(
                    "CREDIT_CARD" if len(digits) >= 13 else "ID_NUMBER", 0.5,
                    "ScatteredNumberRule", channel, first, last, tokens[first].start,
                    tokens[last].end, " ".join(t.text for t in tokens[first : last + 1]),
                )
            )  # fmt: skip
    return out


def _long_runs(tokens, starts, numeric, language, long_run) -> list[tuple[int, int]]:
    """``(start, end)`` of the runs that start at the number tokens ``starts`` and hold
    ``long_run`` digits or more: the runs the long-number rule finds and covers."""
    ends = [_run_end(tokens, k, numeric, language) for k in starts]
    return [
        (k, end)
        for k, end in zip(starts, ends, strict=True)
        if sum(len(t.digits) for t in tokens[k : end + 1]) >= long_run
    ]


def _misheard_digits(tokens: list[Token], a: int, b: int, language: str) -> int:
    """How many words between the number tokens ``a`` and ``b`` are a digit heard as a
    word ASR writes for one (a homophone, a lone "uno") that normalisation left a word:
    a partita IVA's "6 0 1 5 0 7 7 0 8 4 4" heard "6 0 uno chi il 2 nero 7 7 0 844", its
    "uno" and "nero" left words beside numbers that ended sentences, read nine digits of
    the ten a scattered reading needs, and all eleven leaked (it-s51-035, session 28)."""
    table = homophones(language).keys() | lone_digit_words(language)
    return sum(not t.is_number and t.text in table for t in tokens[a + 1 : b])


def _after_heard(tokens, nums, group, numeric, language, long_run, dense, min_digits):
    """``group`` (first and last positions in ``nums``) and its digits, or, when it holds
    a run of ``long_run`` digits or more (:func:`_long_runs`) followed by numbers of
    ``dense`` digits or more and the whole holds ``min_digits``, the group of those numbers
    after it alone: the rest of the same reading. An IBAN's middle heard as
    "1556256 9" and its last groups as "tutto 2 nome siete 68546 9 8" (it-s6-010): the
    whole group was "heard", so nothing joined the tail, 7 digits, and three groups
    leaked."""
    n, m = group
    digits = sum(len(tokens[k].digits) for k in nums[n : m + 1])
    digits += _misheard_digits(tokens, nums[n], nums[m], language)
    runs = _long_runs(tokens, nums[n : m + 1], numeric, language, long_run)
    ends = [end for _start, end in runs]
    tail = [p for p in range(n, m + 1) if ends and nums[p] > max(ends)]
    if (
        len(tail) < 2
        or digits < min_digits
        or sum(len(tokens[nums[p]].digits) for p in tail) < dense
    ):
        return [(n, m, digits, nums[n])]
    # from right after the long run: the words between are the reading's characters
    # misheard ("e che nue è i fette" for "sette due sei sette"); and the numbers read
    # before the run, if any, as a group of their own ("2 e 4" of an IBAN's first group)
    first_run = min(start for start, _end in runs)
    head = [p for p in range(n, m + 1) if nums[p] < first_run]
    out = [(head[0], head[-1], digits, nums[head[0]])] if len(head) >= 2 else []
    return out + [(tail[0], tail[-1], digits, max(ends) + 1)]


def _join_dense(tokens, nums, groups, units, dense, max_gap, heard, sure, labelled):
    """``groups`` (first and last positions in ``nums``) with neighbours of ``dense``
    digits or more each, at most ``max_gap`` s apart, no unit and at most a third of words
    heard with ``sure`` confidence between, joined; no group ``heard`` whole (a partita
    IVA before an IBAN) is joined to the one before it, nor one ``labelled`` (read after a
    reference label: an order number after a security code). A heard group may be joined
    to the one after it: :func:`_after_heard` keeps only what follows its long run (an
    IBAN's first groups heard as a run, "2 e 0 0 2 e 4 1 2 6 9", its last two as "e che
    nue è i fette 8 3 4 9 9 9 2", it-s2-004)."""

    def digits(g):
        return sum(len(tokens[k].digits) for k in nums[g[0] : g[1] + 1])

    out: list[list[int]] = []
    for g in groups:
        if out:
            prev = out[-1]
            a, b = nums[prev[1]], nums[g[0]]
            if (
                digits(prev) >= dense and digits(g) >= dense
                and not heard(g) and not labelled(g)
                and tokens[b].start - tokens[a].end <= max_gap
                and not any(t.text in units for t in tokens[a + 1 : b])
                # mostly guesses between: a group misheard, not talk ("poi grazie")
                and 3 * sum(trusted(t, sure) for t in tokens[a + 1 : b]) <= b - a - 1
            ):  # fmt: skip
                prev[1] = g[1]
                continue
        out.append(list(g))
    return out


def _joins(tokens, a, b, units, max_between, max_gap, sure) -> bool:
    """Whether number tokens ``a`` < ``b`` belong to one reading (see
    :func:`scattered_numbers`)."""
    between = tokens[a + 1 : b]
    if len(between) > max_between or tokens[b].start - tokens[a].end > max_gap:
        return False
    if any(t.text in units for t in between):
        return False
    return sum(trusted(t, sure) for t in between) <= 1


def long_number_lead_ins(
    findings: list[Finding],
    tokens: list[Token],
    language: str,
    max_words: int = 5,
    pause: float = 1.0,
    sure: float = 0.8,
    lead: float = 0.5,
    whole: float = 0.65,
    named: set[int] | None = None,
) -> list[Finding]:
    """Long numbers (as the long-number rules find them: 8 digits or more) reaching
    back over up to ``max_words`` words of their dictation (no pause of ``pause`` s: a code
    is read in groups 0.3-0.7 s apart; no sentence end, no two words in a row heard with
    ``sure`` confidence, no word of a request, none stamped longer than it takes to say,
    no caller's opening word (``cues.ANSWER_LEADS``) heard with ``lead`` confidence, no
    verb introducing the code after a word heard, no plain word of six letters or more
    heard with ``whole`` confidence): the recogniser
    locks on to a code a few characters in, and hears its first ones as words. An IBAN's
    first group, "i ti sette nove", came back as "i di f e nome" before "3 0 15 ..." (seed
    2, it-s2-012), and the first digit of a card read back, "sei", as "è il" (it-s2-023).
    Only for languages in ``cues.DICTATION``. ``named``: :func:`redactor.numbers.named_details`
    of ``tokens``, when the caller has it already."""
    if language not in DICTATION:
        return findings
    # a request's words are not the code ("il mio codice fiscale è ..."): never reached over
    cue_words = {
        w
        for phrases in [PAYMENT_CUES.get(language, ()), *CONTACT_CUES.get(language, {}).values()]
        for p in phrases
        for w in p.split()
        if len(w) >= 4
    }
    leads = ANSWER_LEADS.get(language, ())
    own = OWN.get(language, ())
    if named is None:  # ... nor a request's words as ASR heard them
        named = named_details(tokens, language)
    out = []
    for f in findings:
        first = f.first
        # ... but not a card heard whole: no character of it was heard as a word ("eccolo,
        # è" before the 16 digits, it-s33-007)
        if f.recognizer in ("LongNumberRule", "ScatteredNumberRule") and not complete_card(f):
            while (
                first > 0 and f.first - first < max_words
                and not tokens[first - 1].sentence_end
                and tokens[first - 1].text not in cue_words
                and first - 1 not in named
                # a word stamped longer than it could be said spans a pause or other talk,
                # not a heard character ("che" stamped 1.4 s before a looped code)
                and _said_in(tokens[first - 1])
                and tokens[first].start - tokens[first - 1].end < pause
                and not (first > 1 and trusted(tokens[first - 1], sure)
                         and trusted(tokens[first - 2], sure))
                # the caller's own opening ("sì, allora", "certo" at 0.58-0.75), heard
                # fairly surely: no digit or letter was ever heard as one
                and not (tokens[first - 1].text in leads and trusted(tokens[first - 1], lead))
                # ... and the verb introducing the code after a word heard ("il mio
                # cellulare è", "il numero è"; not "non è" for "nove")
                and not _lead_in_verb(tokens, first - 1, language)
                # ... and a long word heard fairly surely, which no character of a code is
                # heard as: the "capito" (0.71-0.82) of "ricapitolo" heard as "di capito"
                # before the card read back
                and not _whole_word(tokens[first - 1], whole, language)
                # ... and the two words after a possessive heard surely: the caller
                # naming the detail however misheard ("il mio c è" for "il mio cellulare
                # è", "il mio celuramente": five calls of four corpora, session 27)
                and not _after_own(tokens, first - 1, own, sure)
            ):  # fmt: skip
                first -= 1
        out.append(f if first == f.first else replace(f, first=first, start=tokens[first].start))
    return out


def _after_own(tokens: list[Token], k: int, own, least: float, reach: int = 2) -> bool:
    """Token ``k`` is a possessive (``own``: "mio") or one of the ``reach`` words after
    one of its channel heard with ``least`` confidence or more."""
    ch = tokens[k].channel
    back = [j for j in range(k, -1, -1) if tokens[j].channel == ch][: reach + 1]
    return any(tokens[j].text in own and trusted(tokens[j], least) for j in back)


def _whole_word(tok: Token, whole: float, language: str, letters: int = 6) -> bool:
    """Whether ``tok`` is a plain word of ``letters`` letters or more heard with ``whole``
    confidence: not a number, a letter's name or a word of the spelling alphabet."""
    return (
        len(tok.text) >= letters
        and tok.text.isalpha()
        and not tok.is_number
        and trusted(tok, whole)
        and tok.text not in LETTER_NAMES.get(language, {})
        and tok.text not in SPELLING_ALPHABET.get(language, ())
    )


def _said_in(tok: Token) -> bool:
    """Whether ``tok`` is stamped no longer than its letters take to say."""
    return tok.end - tok.start <= 0.45 + 0.1 * len(tok.text)


def recurring_readings(
    tokens: list[Token],
    speech: list[tuple[float, float]],
    channel: int,
    language: str,
    groups: int = 4,
    longest: float = 1.8,
    pause: float = 0.75,
    letters: int = 4,
    recurs: int = 3,
) -> list[Finding]:
    """A code read out in groups that the recogniser heard as a few recurring words: on
    one channel, ``groups`` or more voice-activity regions in a row, each at most
    ``longest`` s with pauses under ``pause`` s (the rhythm of groups read out), in
    ``recurs`` or more of which the same word of ``letters`` letters or more was heard.
    Ten digit sounds come back as a handful of words ("zero" as "mero", "cinque" as
    "quinto", heard at 0.9 and more), so an IBAN "otto zero, a zero cinque zero, ..." read
    after a misheard request ("e l'IBAN per il rimborso?") came back as "pinto mero | mero
    quinto e mero | è qua ruo e nue | un mero quinto e nue | ...": no digit, nothing any
    number rule could see. Talk does not say one word in three short utterances in a row.
    The finding runs from the first region holding a recurring word to the last one, and
    on over the regions either side of them that hold no other word that long (the last
    group, "e nue"). A decoding loop (an n-gram said over and over) is no reading: the
    loop rules see it. Only for languages in ``cues.DICTATION``."""
    table = DICTATION.get(language)
    if table is None:
        return []
    loops = _loops(tokens, table["loop_repeats"], table["loop_tokens"])
    out: list[Finding] = []
    for run in _rhythmic_runs(speech, longest, pause, groups):
        if any(s < run[-1][1] and e > run[0][0] for s, e in loops):
            continue
        heard = [
            {
                t.text for t in tokens
                if s - 0.1 <= t.start < e
                and len(t.text) >= letters and not t.is_number
            }
            for s, e in run
        ]  # fmt: skip
        counts: dict[str, int] = {}
        for said in heard:
            for w in said:
                counts[w] = counts.get(w, 0) + 1
        again = {w for w, n in counts.items() if n >= recurs}
        if not again:
            continue
        held = [n for n, said in enumerate(heard) if said & again]
        lo, hi = held[0], held[-1]
        # the groups either side with no other long word ("e nue", the last group)
        while lo > 0 and heard[lo - 1] <= again:
            lo -= 1
        while hi + 1 < len(run) and heard[hi + 1] <= again:
            hi += 1
        start, end = run[lo][0], run[hi][1]
        inside = [k for k, t in enumerate(tokens) if start - 0.1 <= t.start < end]
        first, last = inside[0], inside[-1]
        out.append(
            Finding(
                "ID_NUMBER", 0.5, "RecurringReadingRule", channel, first, last,
                tokens[first].start, tokens[last].end,
                " ".join(t.text for t in tokens[first : last + 1]),
            )
        )  # fmt: skip
    return out


def _rhythmic_runs(speech, longest: float, pause: float, groups: int):
    """Runs of ``groups`` or more regions of ``speech``, each at most ``longest`` s long,
    with pauses under ``pause`` s between them."""
    run: list[tuple[float, float]] = []
    for s, e in [*speech, (float("inf"), float("inf"))]:
        if e - s <= longest and run and s - run[-1][1] < pause:
            run.append((s, e))
            continue
        if len(run) >= groups:
            yield run
        run = [(s, e)] if e - s <= longest else []
