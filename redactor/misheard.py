"""Closing sentences ASR misheard: "il pagamento è andato a buon fine" on a narrowband line
comes out as "padamento andato a muontile" or "pannamento che è distrato", so the exact
closing phrases in :data:`redactor.cues.CLOSING` miss it and the payment dialogue stays
open over the goodbye and the order number read after it.

A closing is said as *what* (the payment) + *what happened to it* (went through, was
registered). Both words are long enough that a mishearing keeps most of their letters, so
we accept a word that sounds like a payment noun followed, within a few words of the same
channel, by one that sounds like a done-verb. A card number, an expiry or a security code
is digits and short words, never that shape, so such a match is a closing and not a
payment detail misheard."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from redactor.alphabet import _fold
from redactor.phrases import alike
from redactor.request_tails import tail_requests
from redactor.spans import breath
from redactor.tokens import Token

__all__ = [
    "FUZZY_CLOSING",
    "FUZZY_LABELS",
    "MISHEARD_REQUESTS",
    "closing_words",
    "goodbye_words",
    "fuzzy_closings",
    "fuzzy_goodbyes",
    "misheard_label",
    "misheard_requests",
]


# Per language: payment nouns, the verbs that say it is done, how many words may stand
# between them ("il pagamento *è stato* registrato"), and how alike a heard word must be
FUZZY_CLOSING = {
    "it": {
        "subjects": ("pagamento", "addebito", "versamento", "transazione", "operazione"),
        "verbs": ("andato", "andata", "registrato", "registrata", "effettuato", "effettuata",
                  "completato", "completata", "riuscito", "riuscita", "approvato",
                  "approvata", "autorizzato", "autorizzata", "accettato", "accettata"),
        "between": 3,
        "ratio": 0.75,
        # ... and a noun as far off as "mandamento" (0.74) when the verb after it was
        # heard word for word ("mandamento registrato", "mandamento andato a muontile")
        "subject_ratio": 0.7,
        # ... and, with or without its noun, the closing phrase heard as one: "grazie,
        # piuttamente ho andato a muon fine" (0.22 for "il pagamento è")
        "phrases": ("andato a buon fine", "andata a buon fine"),
        "phrase_ratio": 0.82,
    },
}  # fmt: skip


def _alike(word: str, targets, ratio: float) -> bool:
    """``word`` is one of ``targets`` or, at six letters or more, a mishearing of one: at
    most three letters longer or shorter, and ``ratio`` similar, with doubled letters
    counted once (a double consonant is heard single or a single one double: "distratto"
    for "registrato"). Unlike :func:`redactor.phrases._sounds_like` the first letters may
    differ ("padamento", "intangamento" for "pagamento")."""
    if word in targets:
        return True
    if len(word) < 6:
        return False
    heard = _single(word)
    return any(
        abs(len(heard) - len(_single(t))) <= 3
        and SequenceMatcher(None, heard, _single(t)).ratio() >= ratio
        for t in targets
    )


def _single(word: str) -> str:
    """``word`` with every doubled letter written once ("registratto" -> "registrato")."""
    return re.sub(r"(.)\1+", r"\1", word)


def fuzzy_closings(timeline: list[Token], language: str) -> set[int]:
    """Indices in ``timeline`` (all channels, by time) of a word that sounds like a payment
    noun followed, within ``between`` words of its channel, by one that sounds like a
    done-verb: a closing sentence however ASR heard it. Words of a decoding loop
    (probability zeroed) count for nothing. Empty for languages without a table."""
    table = FUZZY_CLOSING.get(language)
    if table is None:
        return set()
    out: set[int] = set()
    for i, tok in enumerate(timeline):
        if tok.probability <= 0.0 or tok.is_number:
            continue
        if _phrase_at(timeline, i, table.get("phrases", ()), table.get("phrase_ratio", 1.0)):
            out.add(i)
            continue
        if not _alike(tok.text, table["subjects"], table["subject_ratio"]):
            continue
        after = [t for t in timeline[i + 1 : i + 16] if t.channel == tok.channel]
        after = [t for t in after[: table["between"] + 2] if t.probability > 0.0]
        # a verb may come split in two: "di strato" for "registrato"
        heard = [t.text for t in after[: table["between"] + 1]]
        heard += [a.text + b.text for a, b in zip(after, after[1:], strict=False)]
        if any(h in table["verbs"] for h in heard[: table["between"] + 1]):
            out.add(i)  # the verb word for word: the noun before it may be heard worse
        elif _alike(tok.text, table["subjects"], table["ratio"]) and any(
            _alike(h, table["verbs"], table["ratio"]) for h in heard
        ):
            out.add(i)
    return out


def closing_words(tokens: list[Token], language: str, pause: float = 0.5) -> set[int]:
    """Indices in ``tokens`` (one channel's) of the words of each closing sentence heard
    however misheard (:func:`fuzzy_closings`): from its noun (or the phrase's first word)
    up to the verb that sounds like one (or the words the phrase takes), said on with no
    pause of ``pause`` s and no number between. They are the agent closing the payment,
    as the words of a request are the agent asking: "perfetto, pagamento registrato"
    heard "per sé fondamento registrato" (0.15-0.52) was silenced as unexplained speech
    after the security code on six calls of three fresh corpora (session 26)."""
    table = FUZZY_CLOSING.get(language)
    if table is None:
        return set()
    most = table["between"] + 2
    out: set[int] = set()
    for i in sorted(fuzzy_closings(tokens, language)):
        k, n = i, 1
        out.add(i)
        while (
            k + 1 < len(tokens) and n < most
            and not _alike(tokens[k].text, table["verbs"], table["ratio"])
            and tokens[k].text != "fine"
            and not tokens[k + 1].is_number and tokens[k + 1].probability > 0.0
            and tokens[k + 1].start - tokens[k].end < pause
        ):  # fmt: skip
            k, n = k + 1, n + 1
            out.add(k)
    return out


# Per language: the goodbye said at the end of every call, however ASR heard it ("andi
# menerchi", "attivenderci", "al di mederti" for "arrivederci": 8 kHz calls of session 21's
# corpora), how alike its letters must be (one word or two written together), and how near
# the end of the call it must be said, seconds. "grazie per aver chiamato" is heard "grazie
# per la merchiamato" on most 8 kHz calls (session 22: four calls of 80 whose payment
# window then ran over the goodbye): "aver chiamato" written together is a goodbye too,
# and so is "giornata" heard "donata", "nonata", "adorata" (session 23: three calls of 40)
# A goodbye also starts with the words that open it, the first one heard alike (0.8) and
# the next word for word: "grazie per" of "grazie per aver chiamato", heard "grazie per a
# me chiamato", "grazie per che ha matto", "trazie per aver chiamato" (session 25: six
# corpora, eight calls whose open answer window ran over "grazie per" or the whole
# goodbye)
FUZZY_GOODBYE = {
    "it": {
        "words": ("arrivederci", "averchiamato", "giornata"),
        "ratio": 0.6,
        "last": 5.0,
        "openers": (("grazie", "per"),),
        "opener_ratio": 0.8,
    },
}


def fuzzy_goodbyes(timeline: list[Token], language: str) -> list[int]:
    """Indices in ``timeline`` of a word that starts a goodbye as ASR misheard it: alone or
    with the next word of its channel, its letters sound like one of the table's words,
    and it is said in the call's last seconds. Only there: the last thing a call centre
    says is goodbye, and elsewhere a code's characters misheard might sound like it too.
    A goodbye ends any answer still open, as a request does: an answer window had run over
    "buona giornata, arrivederci" on three 8 kHz calls of 55. Empty for languages without a
    table."""
    table = FUZZY_GOODBYE.get(language)
    if table is None or not timeline:
        return []
    last = max(t.end for t in timeline) - table["last"]
    out = []
    for i, tok in enumerate(timeline):
        if tok.start < last or tok.probability <= 0.0 or tok.is_number:
            continue
        nxt = next((t for t in timeline[i + 1 :] if t.channel == tok.channel), None)
        heard = [tok.text] + ([tok.text + nxt.text] if nxt is not None else [])
        if any(
            _goodbye_like(_fold(h), w, table["ratio"]) for h in heard for w in table["words"]
        ) or _opens_goodbye(tok, nxt, table):
            out.append(i)
    return out


def goodbye_words(tokens: list[Token], language: str) -> set[int]:
    """Indices in ``tokens`` (one channel's) of the words of a goodbye heard however
    misheard (:func:`fuzzy_goodbyes`), from its first word to the end of the call, up to a
    number or a loop's word: the agent saying goodbye, which the gap after an order
    number's last digit ran on over ("1 agegnata a rimetterci" for "... 1, buona giornata,
    arrivederci", and "ho adorata a rivederci" at 0.48-0.73: eleven calls of two fresh
    corpora, session 26). An anchor, and no unexplained speech, as a request's words."""
    out: set[int] = set()
    for i in fuzzy_goodbyes(tokens, language):
        for k in range(i, len(tokens)):
            if tokens[k].is_number or tokens[k].probability <= 0.0:
                break
            out.add(k)
    return out


def _opens_goodbye(tok: Token, nxt: Token | None, table: dict) -> bool:
    """``tok`` and the next word of its channel are a goodbye's opening words as ASR heard
    them: the first alike, the second word for word."""
    return nxt is not None and any(
        nxt.text == second and alike(_fold(tok.text), first, table["opener_ratio"], slack=1)
        for first, second in table.get("openers", ())
    )


def _goodbye_like(heard: str, word: str, ratio: float) -> bool:
    """At most three letters longer or shorter and ``ratio`` alike, whichever way round
    they are compared (difflib's ratio is not symmetric)."""
    return alike(heard, word, ratio, slack=3) or alike(word, heard, ratio, slack=3)


def _phrase_at(timeline: list[Token], i: int, phrases, ratio: float) -> bool:
    """Whether the words from ``timeline[i]`` on (its channel, none a number or a loop's)
    sound like one of ``phrases`` heard as a whole: their letters, spaces left out, at
    most two more or fewer and ``ratio`` similar ("andato a muon fine")."""
    if not phrases:
        return False
    words = [t for t in timeline[i : i + 12] if t.channel == timeline[i].channel][:6]
    for target in phrases:
        want = target.replace(" ", "")
        heard = ""
        for t in words:
            if t.probability <= 0.0 or t.is_number:
                break
            heard += t.text.replace("'", "")
            if len(heard) > len(want) + 2:
                break
            if len(heard) >= len(want) - 2 and SequenceMatcher(None, heard, want).ratio() >= ratio:
                return True
    return False


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


def _next_on_channel(tokens: list[Token], k: int, within: int = 3) -> int | None:
    """Index of the next of the ``within`` tokens after ``k`` said on ``k``'s channel."""
    return next(
        (j for j in range(k + 1, min(k + 1 + within, len(tokens)))
         if tokens[j].channel == tokens[k].channel),
        None,
    )  # fmt: skip


def _tail(tokens: list[Token], k: int, table: dict) -> bool:
    """Token ``k`` is followed within 0.3 s on its channel by the label's last syllable
    heard as a guessed short word ("di me", "di nè": accents left out)."""
    j = _next_on_channel(tokens, k)
    return (
        j is not None
        and _fold(tokens[j].text) in table.get("tails", ())
        and tokens[j].probability < table.get("tail_guessed", 0.0)
        and tokens[j].start - tokens[k].end < 0.3
    )


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
    j = _next_on_channel(tokens, k)
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
        if art.text not in table["articles"] or not _head(head.text, table):
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
            and _middle(tokens[first - 1]) >= region[0] - 0.1
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
        if first == 0 or _middle(tokens[first - 1]) < region[0]:
            start = region[0]
        out.append((first, last, start, region[1]))
    # ... and a question found by its tail ("le 3 cite su un metro"), where not already
    taken = {k for first, last, _s, _e in out for k in range(first, last + 1)}
    out += [r for r in tail_requests(tokens, speech, language) if not taken & {r[0], r[1]}]
    return out


def _head(word: str, table: dict) -> bool:
    """``word`` is one of the table's head words, or (with a ``head_ratio``) a mishearing
    of one that ends as it does and is that similar ("piccurezza" for "sicurezza", 0.84;
    not "certezza", 0.71, nor "residenza" for "scadenza", 0.71)."""
    if word in table["heads"]:
        return True
    ratio = table.get("head_ratio")
    return ratio is not None and any(
        len(h) >= 7 and word.endswith(h[-4:]) and SequenceMatcher(None, word, h).ratio() >= ratio
        for h in table["heads"]
    )


def _middle(tok: Token) -> float:
    return (tok.start + tok.end) / 2
