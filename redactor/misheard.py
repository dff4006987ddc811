"""Requests and labels ASR misheard: the agent's "e la data di scadenza?" heard "e la nata di
scamenza", "il numero d'ordine" heard "il numero 2 di me". A misheard request is still the
agent asking (no finding starts in it, and the answer after it is judged as an answer), and
a misheard order-number label still makes the number after it a reference. Closings and
goodbyes misheard are in :mod:`redactor.call_endings`."""

from __future__ import annotations

from difflib import SequenceMatcher

from redactor.alphabet import _fold
from redactor.request_tails import tail_requests
from redactor.spans import breath
from redactor.stamps import _next_index_on_channel
from redactor.tokens import Token

__all__ = [
    "FUZZY_LABELS",
    "MISHEARD_REQUESTS",
    "label_ended",
    "misheard_label",
    "misheard_requests",
]


# Per language: the word a reference label follows, and the labels whose mishearing we
# accept there. Only the "order number" family: its elided "d'" makes base glue or split it
# ("dotine", "di ne"), while other labels are whole words it hears; and a fuzzy "contratto"
# would also take "conto", an account number. Its "d'" is also heard as a guessed digit
# and the preposition: "numero 2 di me" (0.06, 0.79, 0.31), "numero 2 di ne è"
FUZZY_LABELS = {
    "it": {
        "after": ("numero",),
        "labels": ("d'ordine", "dell'ordine"),
        "ratio": 0.7,
        "elided": ("di",),  # what follows the guessed digit
        "guessed": 0.3,
        "tailed": 0.5,  # ... or below this with the tail after "di" too
        # ... or the label's last syllable after that "di", heard as a short word ASR
        # was unsure of: "numero di (0.39) me (0.21) è", "numero di (0.22) me (0.38) 6"
        "tails": ("me", "ne", "mi", "ni"),
        "tail_guessed": 0.5,
    }
}


def _tail(tokens: list[Token], k: int, table: dict) -> bool:
    """Token ``k`` is followed within 0.3 s on its channel by the label's last syllable
    heard as a guessed short word ("di me", "di nè": accents left out)."""
    j = _next_index_on_channel(tokens, k, within=3)
    return (
        j is not None
        and _fold(tokens[j].text) in table.get("tails", ())
        and tokens[j].probability < table.get("tail_guessed", 0.0)
        and tokens[j].start - tokens[k].end < 0.3
    )


def label_ended(tokens: list[Token], k: int, language: str) -> int | None:
    """Index of the misheard label whose last syllable is token ``k``, when that syllable
    ended a sentence ("il numero di (0.17) me. (0.31) 8 7 3 2 3 5 2", it-s61-029): the
    number after it is still the reference. Only the label's own tail: a sentence that
    ends on any other word ends where the label's reach does."""
    table = FUZZY_LABELS.get(language)
    if table is None or _fold(tokens[k].text) not in table.get("tails", ()):
        return None
    return k - 1 if k > 1 and misheard_label(tokens, k - 1, language) else None


def misheard_label(tokens: list[Token], k: int, language: str) -> bool:
    """Token ``k`` (with the next token of its channel, when ASR split it: "di ne") is a
    reference label misheard, right after the word labels follow ("numero dotine" for
    "numero d'ordine"): the number read after it is an order number, not a payment detail.
    Numbers never count as part of the label, bar one: a lone digit ASR guessed, said
    right before the table's ``elided`` word, is the label's elided article ("2 di me")."""
    table = FUZZY_LABELS.get(language)
    if table is None or k == 0 or k >= len(tokens):
        return False
    prev, tok = tokens[k - 1], tokens[k]
    if prev.text not in table["after"] or prev.channel != tok.channel:
        return False
    j = _next_index_on_channel(tokens, k, within=3)
    nxt = tokens[j] if j is not None else None
    if tok.is_number:
        # the elided "d'" as a guessed digit before "di"; guessed less surely when the
        # label's last syllable follows too ("2 (0.34) di me (0.41)")
        tail = j is not None and _tail(tokens, j, table)
        return (
            len(tok.digits) == 1
            and tok.probability < table.get("tailed" if tail else "guessed", 0.0)
            and nxt is not None
            and nxt.text in table.get("elided", ())
            and nxt.start - tok.end < 0.3
        )
    if tok.text in table.get("elided", ()) and _tail(tokens, k, table):
        return True
    targets = [t.replace("'", "") for t in table["labels"]]
    heard = [tok.text.replace("'", "")]
    if nxt is not None and not nxt.is_number and not tok.sentence_end:
        heard.append(heard[0] + nxt.text.replace("'", ""))
    return any(
        len(h) >= 4 and SequenceMatcher(None, h, t).ratio() >= table["ratio"]
        for h in heard
        for t in targets
    )


# Per language: how the recogniser writes the head word of a payment request it mishears,
# after the article that opens it. tiny.en on telephone audio wrote "and the expiry date"
# as "and the x i r e n a", "the x perry day", "the fiery 8", "the advisory date", "the
# expiry 8": the letter x (no digit sounds like it) or a word ending like "expiry". The
# rest of the question goes with it, up to the end of its breath
MISHEARD_REQUESTS = {
    "en": {
        "articles": ("the",),
        "openers": ("and", "what's", "what", "so"),
        "heads": ("x", "ex", "xi", "expiry", "expiring", "fiery", "firey", "advisory",
                  "primary", "piry"),
        "longest": 1.8,  # s: a question's breath; a longer one has the answer in it
    },
    # base on telephone audio hears "sicurezza" and "scadenza" ("scavenza") well, the
    # words around them badly: "il comico di sicurezza, le 3 ci prezune metro" for "il
    # codice di sicurezza, le tre cifre sul retro", "mi dice la scavenza nella carta".
    # The two words before the article ("il codice") are the request too, never a digit;
    # a head followed by "è" is someone telling it ("la scadenza è ..."), not asking
    "it": {
        "articles": ("di", "la"),
        "openers": (),
        "lead": 2,
        "heads": ("sicurezza", "scadenza", "scavenza"),
        # ... or a word ending like one of them and this alike: "di piccurezza"
        "head_ratio": 0.8,
        # ... or any word of six letters or more ending like one of them, after an article
        # that follows the end of "codice": "mi serve anche io dice di chiurezza" (0.78
        # alike), "il che ho dice di chiunquezza" (0.60), three calls of one corpus on a
        # second machine (it-s61-006, -019, -034): the expiry's answer ran on over them
        "named_by": ("dice", "dici"),
        "telling": ("è",),
        "breath_from": "head",
        "longest": 3.5,
        "digits": 2,  # "le 3 ci 3 sul retro"; a code read in the breath has more
    },
}  # fmt: skip


def misheard_requests(
    tokens: list[Token], speech: list[tuple[float, float]], language: str
) -> list[tuple[int, int, float, float]]:
    """Payment requests the recogniser misheard, as ``(first, last, start, end)``: their
    words' indices in one channel's ``tokens`` and the speech they were said in (from
    ``speech``, that channel's voice activity). A request is an article, then within
    0.3 s a head word as :data:`MISHEARD_REQUESTS` lists it, and every word stamped in the
    rest of that voice-activity region, which must end within ``longest`` s of the
    article (of the head word where the table's ``breath_from`` says so): the answer comes
    after a pause. A table may also take up to ``lead`` words before the article (never a
    digit), refuse a head followed by a ``telling`` word, and cap the digits written after
    the head (``digits``). Digits written there ("the fiery 8" for "the expiry date") are
    the request's words misheard, not an answer. Empty for languages without a table."""
    table = MISHEARD_REQUESTS.get(language)
    if table is None:
        return []
    out = []
    for i in range(len(tokens) - 1):
        art, head = tokens[i], tokens[i + 1]
        if art.text not in table["articles"]:
            continue
        named_by = table.get("named_by", ())
        named = bool(named_by) and i > 0 and tokens[i - 1].text.endswith(named_by)
        if not _head(head.text, table, named):
            continue
        if head.start - art.end >= 0.3:
            continue
        # the breath is found from the article, or from the head word where the article
        # is stamped back over what was said before it ("la" 27.08-28.06 s over a card's
        # last digit, said at 27.96 s)
        at = head.start if table.get("breath_from") == "head" else art.start
        region = breath(speech, at)
        if region is None or region[1] - at > table["longest"]:
            continue
        first = i
        opener = tokens[i - 1] if i > 0 else None
        if opener and opener.text in table["openers"] and art.start - opener.end < 0.3:
            first = i - 1
        while (
            i - first < table.get("lead", 0)
            and first > 0
            and not tokens[first - 1].is_number  # a digit is never the request's opening
            and (
                _middle(tokens[first - 1]) >= region[0] - 0.1
                or _stamped_into(tokens[first - 1], region, speech)
            )
            and tokens[first].start - tokens[first - 1].end < 0.3
        ):
            first -= 1
        last = i + 1
        # ... and the words said in it, however long ASR stamped them ("date" 34.34-35.26 s
        # in a region ending at 34.74 s)
        while last + 1 < len(tokens) and tokens[last + 1].start < region[1] - 0.1:
            last += 1
        rest = tokens[i + 2 : last + 1]
        if rest and rest[0].text in table.get("telling", ()):
            continue
        # "le 3 ci 3 sul retro" is the request; "1 4 2" in its breath is a code read out
        written = sum(len(t.digits) for t in rest if any(c.isdigit() for c in t.text))
        if written > table.get("digits", written):
            continue
        # the request opens its region unless a word before it was stamped there; never
        # before it ("and" stamped back from 20.18 s over a card digit, the region 20.97 s)
        start = max(tokens[first].start, region[0])
        if first == 0 or _opens_breath(tokens, first, region, table):
            start = region[0]
        out.append((first, last, start, region[1]))
    # ... and a question found by its tail ("le 3 cite su un metro"), where not already
    taken = {k for first, last, _s, _e in out for k in range(first, last + 1)}
    out += [r for r in tail_requests(tokens, speech, language) if not taken & {r[0], r[1]}]
    return out


# A breath this long (s) or shorter, its words before the request's all words and none a
# digit, is the request's alone: the agent asked in it ("mi serve anche il che ho dice di
# sicurezza", the request's first words unsure and its "mi" stamped from 1.1 s before)
REQUEST_BREATH = 4.5
# ... and of at most this many words before the request's first
REQUEST_BREATH_WORDS = 6


def _opens_breath(
    tokens: list[Token], first: int, region: tuple[float, float], table: dict
) -> bool:
    """The request starting at token ``first`` opens the voice-activity ``region`` it is
    said in: no word before it is stamped there, or (where the table takes a ``lead``)
    the region is one short breath whose words before the request are few and none a
    digit, so its start is the request's even where ASR's words there were too unsure to
    take as the request's own."""
    before = [k for k in range(first) if _middle(tokens[k]) >= region[0]]
    if not before:
        return True
    return (
        table.get("lead", 0) > 0
        and region[1] - region[0] <= REQUEST_BREATH
        and len(before) <= REQUEST_BREATH_WORDS
        and not any(any(c.isdigit() for c in tokens[k].text) for k in before)
    )


def _head(word: str, table: dict, named: bool = False) -> bool:
    """``word`` is one of the table's head words, or (with a ``head_ratio``) a mishearing
    of one that ends as it does and is that similar ("piccurezza" for "sicurezza", 0.84;
    not "certezza", 0.71, nor "residenza" for "scadenza", 0.71). After the words that
    name the detail (``named``: "dice di" for "codice di") any word of six letters or more
    that ends as a head word does is one."""
    if word in table["heads"]:
        return True
    if named and len(word) >= 6 and any(word.endswith(h[-4:]) for h in table["heads"]):
        return True
    ratio = table.get("head_ratio")
    return ratio is not None and any(
        len(h) >= 7 and word.endswith(h[-4:]) and SequenceMatcher(None, word, h).ratio() >= ratio
        for h in table["heads"]
    )


def _stamped_into(tok: Token, region: tuple[float, float], speech) -> bool:
    """Whether ``tok`` ends in ``region`` and starts in the pause before it: a word said
    at the region's start that ASR stamped back over the pause. "mi" 23.17-23.71 s of "mi
    dice la scadenza" in a breath from 23.6 s was left out of the request, and the card
    read before it took it in (it-s62-038, session 43)."""
    before = max((e for s, e in speech if e <= region[0]), default=0.0)
    return tok.start >= before and region[0] < tok.end <= region[1]


def _middle(tok: Token) -> float:
    return (tok.start + tok.end) / 2
