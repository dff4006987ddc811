"""Per-language words of health talk the fail-closed rules listen for: follow-up questions,
lead-ins ("soffro di", "I was diagnosed with"), clause openers, since clauses, dose words and
what a mention is for. Data only, re-exported by :mod:`redactor.cues`."""

from __future__ import annotations

__all__ = [
    "FOLLOW_UPS",
    "HEALTH_LEADS",
    "STRONG_HEALTH_LEADS",
    "CLAUSE_OPENERS",
    "SINCE",
    "DOSAGE",
    "FUZZY_HEALTH_LEADS",
    "INDICATION",
]


# Follow-up questions: asked just after a health answer, they ask for more of it
FOLLOW_UPS = {
    "en": ("anything else", "any other", "any others", "something else", "what else",
           "any more", "anything more"),
    "it": ("altro", "altri", "altre", "nient'altro", "qualcos'altro", "qualcosa d'altro",
           "qualcos altro", "nient altro", "c'è altro"),
}  # fmt: skip


HEALTH_LEADS = {
    "en": ("i'm on", "i am on", "i take", "i'm taking", "i am taking", "i've had", "i have had",
           "i had", "i have", "i've got", "i got", "i was treated for", "treated for", "i suffer",
           "diagnosed", "i'm having", "i am having", "i'm still having", "i'm being treated",
           "i go for", "i'm undergoing", "i am undergoing", "undergoing", "put me on",
           "i've been on", "i have been on", "i've been taking", "i was on", "prescribed",
           "recovering from", "allergic to"),
    # the longest phrase that matches decides where the lead ends (phrases._cue_length)
    "it": ("sto prendendo", "sto assumendo", "devo prendere", "prendo", "assumo",
           "ho avuto", "ho il", "ho la", "ho un", "ho una", "soffro di", "soffro",
           "sono in cura per", "mi curo per", "mi curo", "mi hanno operato", "sono stato operato",
           "sono stata operata", "mi hanno operato per", "sono stato operato per",
           "sono stata operata per", "faccio la", "faccio le", "faccio il", "faccio", "uso",
           "mi hanno diagnosticato", "ho fatto un", "ho fatto una", "ho fatto", "sto facendo",
           "mi hanno messo", "sono allergico a", "sono allergica a", "allergico a",
           "allergica a"),
}  # fmt: skip


# ... and those that say health data follows wherever they are said, with no health
# question heard before them: a health question misheard whole ("atualte fatto non mi
# anche non mi amo" for "ha qualche patologia che dobbiamo conoscere?") left "soffroni e
# di le silla" for "soffro di epilessia" unjudged, and the condition leaked (it-s10-013)
STRONG_HEALTH_LEADS = {
    "en": ("i suffer", "diagnosed", "i was treated for", "i'm being treated", "allergic to"),
    "it": ("soffro di", "soffro", "mi hanno diagnosticato", "sono in cura per",
           "sono allergico a", "sono allergica a"),
}  # fmt: skip


# Words that open a new clause after a health mention: what follows is why it matters or
# since when ("dialysis three times a week, so I need the cover", "asthma, since last
# year"), not more of the condition ("and" may add a second one, so it is none of these)
CLAUSE_OPENERS = {
    "en": ("so", "since", "because", "but", "that's", "which"),
    "it": ("quindi", "perciò", "per questo", "perché", "però", "tutto", "dallo", "dall'anno",
           "dall anno", "dal anno", "da quando"),
}  # fmt: skip


# A clause saying since when ("dall'anno scorso", "da due mesi") opens a new clause after a
# condition however unsure ASR was of its first word: its elided "dall'" is the word base
# hears worst ("dal" 0.34, "dall" 0.14 before "anno" at 0.61-0.99), or glues it to the
# noun ("dalanno", "salanno", "allanno" before "scorso"). Per language: the openers, the
# time nouns (a glued "r" of "dall'" allowed: "ranno"), and the words that follow a noun.
SINCE = {
    "it": {
        "openers": ("da", "dal", "dall", "dalla", "dallo", "dai", "dalle"),
        # "l'anno scorso", "il mese scorso": an article opens one only with its tail
        "articles": ("l", "il", "lo", "la"),
        "nouns": ("anno", "anni", "mese", "mesi", "settimana", "settimane", "tempo"),
        "after": ("scorso", "scorsa", "scorsi", "fa"),
    },
}


# Words a health mention runs on into: its dose or frequency (answers.expand_health)
DOSAGE = {
    "en": {
        "times", "a", "day", "week", "month", "daily", "weekly", "twice", "once", "mg", "per",
        "every", "morning", "night", "milligrams", "tablets", "pills", "dose",
    },
    "it": {
        "volte", "volta", "a", "al", "alla", "il", "la", "giorno", "settimana", "mese", "ogni",
        "mattina", "sera", "notte", "mg", "milligrammi", "compresse", "compressa", "pastiglie",
        "pastiglia", "gocce", "dose", "due", "tre", "una",
        # "l'insulina tutte le mattine", "tutti i giorni", "tutte le sere"
        "tutte", "tutti", "le", "i", "mattine", "sere", "notti", "giorni", "settimane",
    },
}  # fmt: skip


# A health lead-in misheard ("soffroni" for "soffro di", "mi hanno mi ha riuscicato" for
# "mi hanno diagnosticato"): how alike it must sound to a HEALTH_LEADS phrase, and the
# articles that open the condition after it ("un'insufficienza", "la sclerosi")
FUZZY_HEALTH_LEADS = {
    "it": {"ratio": 0.7, "articles": ("il", "lo", "la", "l", "i", "gli", "le", "un", "una", "uno")},
}  # fmt: skip


# What a health mention is for ("la sertralina per l'ansia"): "for", the articles that may
# come between, and words that are no condition ("per questo mi serve la copertura")
INDICATION = {
    "it": {
        "for": ("per",),
        "articles": ("il", "lo", "la", "l", "i", "gli", "le", "un", "una", "uno"),
        "not": ("questo", "questa", "quello", "quella", "favore", "cortesia", "cui", "ora",
                "adesso", "fortuna", "esempio", "caso", "meno", "più"),
    },
}  # fmt: skip
