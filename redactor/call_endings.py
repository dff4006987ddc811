"""Closings and goodbyes ASR misheard: "il pagamento è andato a buon fine" on a narrowband
line comes out as "padamento andato a muontile" or "pannamento che è distrato", and "buona
giornata, arrivederci" as "agegnata a rimetterci", so the exact phrases in
:data:`redactor.cues.CLOSING` and :data:`redactor.cues.GOODBYES` miss them and the payment
dialogue stays open over the goodbye and the order number read after it.

A closing is said as *what* (the payment) + *what happened to it* (went through, was
registered). Both words are long enough that a mishearing keeps most of their letters, so
we accept a word that sounds like a payment noun followed, within a few words of the same
channel, by one that sounds like a done-verb. A card number, an expiry or a security code
is digits and short words, never that shape, so such a match is a closing and not a
payment detail misheard. A goodbye is looked for only in the call's last seconds."""

from __future__ import annotations

import functools
import re
from difflib import SequenceMatcher

from redactor.alphabet import DICTATED_HOMOPHONE, LETTER_NAMES, _fold, is_link
from redactor.phrases import alike
from redactor.tokens import Token

__all__ = [
    "FUZZY_CLOSING",
    "FUZZY_GOODBYE",
    "closing_words",
    "fuzzy_closings",
    "fuzzy_goodbyes",
    "goodbye_words",
    "praise_before",
    "thanks_for_calling",
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
        # ... and a noun heard close (0.75) with a past participle heard further off
        # (0.65) in its breath: "lavamento è ministrato", "passamento è necessitato",
        # "tannamento veniscerato" for "pagamento registrato" (four calls of two fresh
        # corpora, session 38, whose payment window then silenced the closing and the
        # order number after it). The participle's ending keeps "perfetto" (0.67 like
        # "effettuato"), said after every detail, out
        "near_subject": 0.75,
        "far_verb": 0.65,
        "participles": ("ato", "ata"),
        "noun_endings": ("amento",),
        "articles": ("il", "lo", "la", "l", "i", "gli", "le", "un", "una", "uno"),
        # ... and a noun of the payment's shape said straight after the agent's "perfetto",
        # whatever the verb was heard as: "perfetto un pannamento che di stato", "perfetto
        # andamento che mi sono visto", "perfetto un annamento che vi stanno in" for
        # "perfetto, pagamento registrato" (three 8 kHz calls of two corpora on a third
        # machine, session 42: the payment dialogue stayed open and silenced them)
        "praise": ("perfetto", "ottimo", "benissimo"),
        "praise_heard": 0.5,
        "praise_pause": 0.6,  # s: the comma after it ("perfetto, pagamento")
    },
}  # fmt: skip

# the fewest letters of a noun taken for a payment noun by its ending alone
SHAPED_NOUN = 8

# the pause (s) between the words of a closing heard loosely: one breath
CLOSING_BREATH = 0.3


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
        if praise_before(timeline, i, language) is not None:
            out.add(i)
            continue
        # ... or a noun of the payment's shape ("-amento") when its verb is heard word for
        # word: "intendamento andato a montine" (0.64 like "versamento"; two calls of two
        # fresh corpora, session 38)
        shaped = len(tok.text) >= SHAPED_NOUN and tok.text.endswith(table["noun_endings"])
        if not (shaped or _alike(tok.text, table["subjects"], table["subject_ratio"])):
            continue
        after = [t for t in timeline[i + 1 : i + 16] if t.channel == tok.channel]
        after = [t for t in after[: table["between"] + 2] if t.probability > 0.0]
        # a verb may come split in two: "di strato" for "registrato"; but an article and
        # its noun are two words ("la data" is 0.8 like "andata": "per il pagamento mi
        # serve la data di scadenza" closed the dialogue it opened, session 38)
        heard = [t.text for t in after[: table["between"] + 1]]
        heard += [a.text + b.text for a, b in zip(after, after[1:], strict=False)
                  if a.text not in table["articles"]]  # fmt: skip
        if (
            # the verb word for word: the noun before it may be heard worse
            any(h in table["verbs"] for h in heard[: table["between"] + 1])
            # ... else both alike (these nouns are stricter than ``shaped``)
            or (_alike(tok.text, table["subjects"], table["ratio"])
                and any(_alike(h, table["verbs"], table["ratio"]) for h in heard))
            or _participle_in_breath(tok, after[: table["between"] + 1], table)
        ):  # fmt: skip
            out.add(i)
    return out


def praise_before(timeline: list[Token], i: int, language: str) -> int | None:
    """The index of the agent's praise ("perfetto", heard at ``praise_heard`` or more)
    said right before ``timeline[i]``, a noun of the payment's shape ("-amento",
    :data:`SHAPED_NOUN` letters or more): the word before it on its channel, or the one
    before a short article, after no more than a comma's pause (``praise_pause`` s). Such
    a noun is the closing "perfetto, pagamento registrato" with its verb heard as
    anything, and the closing starts at the praise. None when there is none."""
    table = FUZZY_CLOSING.get(language)
    tok = timeline[i]
    if table is None or "praise" not in table:
        return None
    if len(tok.text) < SHAPED_NOUN or not tok.text.endswith(table["noun_endings"]):
        return None
    nxt = tok
    before = [k for k in range(i - 1, max(-1, i - 9), -1) if timeline[k].channel == tok.channel]
    for k in before[:2]:
        t = timeline[k]
        if nxt.start - t.end >= table["praise_pause"] or t.is_number:
            return None
        if t.text in table["praise"]:
            return k if t.probability >= table["praise_heard"] else None
        if t.text not in table["articles"]:
            return None
        nxt = t
    return None


def _participle_in_breath(noun: Token, after: list[Token], table: dict) -> bool:
    """``noun`` sounds close to a payment noun and one of the words ``after`` it, said on
    in its breath (no pause of :data:`CLOSING_BREATH`), ends as a past participle does
    and sounds like a done-verb heard further off: "lavamento è ministrato"."""
    if "far_verb" not in table or not _alike(noun.text, table["subjects"], table["near_subject"]):
        return False
    prev = noun
    for t in after:
        if t.start - prev.end >= CLOSING_BREATH or t.is_number:
            return False
        if t.text.endswith(table["participles"]) and _alike(
            t.text, table["verbs"], table["far_verb"]
        ):
            return True
        prev = t
    return False


def _verb_like(word: str, table: dict) -> bool:
    """``word`` sounds like a done-verb: closely, or as a past participle heard further off
    (the verb :func:`_participle_in_breath` accepts)."""
    return _alike(word, table["verbs"], table["ratio"]) or (
        word.endswith(table.get("participles", ()))
        and _alike(word, table["verbs"], table.get("far_verb", table["ratio"]))
    )


def closing_words(tokens: list[Token], language: str, pause: float = 0.5) -> set[int]:
    """Indices in ``tokens`` (one channel's) of the words of each closing sentence heard
    however misheard (:func:`fuzzy_closings`): from its noun (or the phrase's first word)
    up to the verb that sounds like one (or the words the phrase takes), said on with no
    pause of ``pause`` s and no number between. They are the agent closing the payment,
    as the words of a request are the agent asking: "perfetto, pagamento registrato"
    heard "per sé fondamento registrato" (0.15-0.52) was silenced as unexplained speech
    after the security code on six calls of three fresh corpora (session 26). The praise
    a noun was found by (:func:`praise_before`) and the words from it to the noun are
    the closing's too."""
    table = FUZZY_CLOSING.get(language)
    if table is None:
        return set()
    most = table["between"] + 2
    out: set[int] = set()
    for i in sorted(fuzzy_closings(tokens, language)):
        k, n = i, 1
        out.add(i)
        praise = praise_before(tokens, i, language)
        out.update(range(praise, i) if praise is not None else ())
        while (
            k + 1 < len(tokens) and n < most
            # the noun is no verb, however alike: "andamento" is 0.8 like "andato"
            and not (k > i and _verb_like(tokens[k].text, table))
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
    before: dict[int, Token] = {}  # each channel's previous word
    for i, tok in enumerate(timeline):
        prev, before[tok.channel] = before.get(tok.channel), tok
        if tok.start < last or tok.probability <= 0.0 or tok.is_number:
            continue
        # ... nor the spelling link itself: "A come Ancona" heard "come chiamo" sounded
        # like "aver chiamato", and the A leaked (it-s59-032, session 35)
        if _spelled(tok, prev, language) or is_link(tok.text, language):
            continue
        nxt = next((t for t in timeline[i + 1 :] if t.channel == tok.channel), None)
        heard = [tok.text] + ([tok.text + nxt.text] if nxt is not None else [])
        if any(
            _goodbye_like(_fold(h), w, table["ratio"]) for h in heard for w in table["words"]
        ) or _opens_goodbye(tok, nxt, table):
            out.append(i)
    return out


def _spelled(tok: Token, prev: Token | None, language: str, pause: float = 0.5) -> bool:
    """``tok`` is said right after the spelling link ("come", or its letter glued on) or a
    letter's name: the spelling-alphabet word of a code's last character, whatever ASR
    heard. "J come jolly" heard "lunga come giorni" in a call's last seconds was a goodbye
    ("giornata"), ended the identity card's answer window there, and the J leaked
    (it-s39-032); heard "di lunga chiametorni" on the agent's line, "chiametorni" was one
    too ("aver chiamato", it-s62-009, session 44)."""
    return (
        prev is not None
        and (is_link(prev.text, language) or _fold(prev.text) in _name_ends(language))
        and tok.start - prev.end < pause
    )


@functools.cache
def _name_ends(language: str) -> frozenset[str]:
    """The last words of the language's letter names that are no everyday short word:
    "lunga" of "i lunga", "effe", "cappa" (:data:`~redactor.alphabet.DICTATED_HOMOPHONE`
    letters or more; "di", "ti" are words)."""
    return frozenset(
        name.split()[-1] for name in LETTER_NAMES.get(language, {})
        if len(name.split()[-1]) >= DICTATED_HOMOPHONE
    )  # fmt: skip


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


# The agent thanking the caller for calling, at the call's opening or its end: no caller
# says it. Heard as a whole this alike ("grazie per la merchiamato", 8 kHz)
THANKS_FOR_CALLING = {
    "en": ("thank you for calling", "thanks for calling"),
    "it": ("grazie per aver chiamato",),
}
THANKS_RATIO = 0.8


def thanks_for_calling(tokens: list[Token], language: str) -> list[int]:
    """Indices in ``tokens`` where the agent thanks the caller for calling
    (:data:`THANKS_FOR_CALLING`), however misheard: words only the agent says, which tell
    the agent's voice on a one-channel call (:mod:`redactor.voices`)."""
    phrases = THANKS_FOR_CALLING.get(language, ())
    return [i for i in range(len(tokens)) if _phrase_at(tokens, i, phrases, THANKS_RATIO)]


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
