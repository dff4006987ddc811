"""Per-language words the fail-closed rules listen for: payment and contact cues, closing
phrases, units, reference labels, month names (health talk: :mod:`redactor.health_cues`). Data only: a new language
is a new key in each table (see docs/redaction.md)."""

from __future__ import annotations

from redactor.health_cues import (  # noqa: F401 - re-exported: the health tables
    CLAUSE_OPENERS,
    DOSAGE,
    FOLLOW_UPS,
    FUZZY_HEALTH_LEADS,
    HEALTH_LEADS,
    INDICATION,
    SINCE,
    STRONG_HEALTH_LEADS,
)
from redactor.phrases import (  # noqa: F401 - re-exported: the cue tables' users match with them
    _cue_length,
    _head_lost,
    _phrases,
    _sounds_like,
    _spoken_phrases,
)

__all__ = [
    "PAYMENT_CUES",
    "CLOSING",
    "CLOSING_QUESTIONS",
    "GOODBYES",
    "GREETINGS",
    "UNITS",
    "COUNTED",
    "CLOCK",
    "UNIT_JOINERS",
    "COPULAS",
    "POSSESSIVES",
    "ARTICLES",
    "REFERENCE_LABELS",
    "CARD_LIKE",
    "MONTH_NAMES",
    "CUE_TAILS",
    "FUZZY_CUES",
    "CONTACT_CUES",
    "DICTATION",
    "HEALTH_LEADS",
    "STRONG_HEALTH_LEADS",
    "FUZZY_HEALTH_LEADS",
    "ANSWER_LEADS",
    "BARE_YES",
    "COURTESY",
    "ACKNOWLEDGEMENTS",
    "ASKING",
    "CLAUSE_OPENERS",
    "SINCE",
    "FOLLOW_UPS",
    "DOSAGE",
    "INDICATION",
    "OWN",
    "REQUEST_ENDS",
    "INTENT_CUES",
    "REQUEST_OPENERS",
]


PAYMENT_CUES = {
    "en": (
        "card", "credit", "debit", "visa", "mastercard", "amex", "expiry", "expiration",
        "expires", "expire", "security code", "cvv", "cvc", "csc", "three digits",
        "last three", "long number", "valid until", "valid thru", "back of the card",
        "card number", "name on the card",
        # the card number asked for by where it is or how long it is: tiny.en heard "the
        # sixteen digits on the front of the card" as "... on the front of the car"
        "on the front", "front of the card",
    ),
    "it": (
        "carta", "credito", "debito", "bancomat", "prepagata", "postepay", "visa",
        "mastercard", "amex", "scadenza", "scade", "scadere", "valida fino", "sicurezza",
        "cvv", "cvc", "cv2", "cifre", "tre cifre", "ultime tre", "retro della carta",
        "numero della carta", "intestatario", "titolare della carta", "pagamento", "pagare",
        "addebito", "iban", "l'iban", "conto",
        # "della carta" heard "la calda", "la cata", "la calta", "la catta" (15 times on ten
        # fresh corpora, every one a card request; it-s47-033: no other cue, the card leaked)
        "la calda", "la cata", "la calta", "la catta", "la carda",
        # ... and heard "della calda" whole: "mi può dare il numero della calda?" was the
        # only card request of it-s61-004 (on a second machine), and the dialogue opened
        # only at the expiry, after a card digit had leaked
        "della calda", "della cata", "della calta", "della catta", "della carda",
    ),
}  # fmt: skip


CLOSING = {
    "en": (
        "went through", "gone through", "been processed", "is processed", "was successful",
        "payment is complete", "approved", "anything else", "all done", "that's done",
        "is that everything", "payment has", "been taken", "confirmation", "receipt",
        "successful", "all set",
    ),
    # not "conferma" or "altro" alone: "mi conferma il numero?", "un altro numero"
    "it": ("andato a buon fine", "andata a buon fine", "completato", "completata",
           "approvato", "approvata", "è stato effettuato", "pagamento effettuato",
           "pagamento riuscito", "nient'altro", "qualcos'altro", "posso fare altro",
           "serve altro", "c'è altro", "ricevuta", "email di conferma", "mail di conferma",
           "sms di conferma", "tutto a posto", "tutto fatto", "abbiamo finito",
           "pagamento registrato", "è stato registrato"),
}  # fmt: skip
# the agent's last question, which only a short reply and the goodbye follow ("posso fare
# altro per lei?" / "no, grazie"): the words of a call's end
CLOSING_QUESTIONS = {
    "en": ("anything else",),
    "it": ("posso fare altro", "serve altro", "c è altro", "altro per lei"),
}


# The call ending: it closes a payment dialogue as a closing phrase does, and it ends any
# answer window (the customer has stopped answering when the agent says goodbye).
GOODBYES = {
    "en": ("thank you for calling", "thanks for calling", "goodbye", "have a nice day",
           "have a good day"),
    "it": ("arrivederci", "grazie per aver chiamato", "buona giornata", "buona serata"),
}  # fmt: skip


# The call's opening: a payment word in the breath a greeting is said in names the line
# ("pronto, ufficio pagamenti, buongiorno"), it asks for nothing (failclosed._greeting)
GREETINGS = {
    "en": ("hello", "good morning", "good afternoon", "good evening", "thank you for calling",
           "thanks for calling"),
    "it": ("pronto", "buongiorno", "buon giorno", "buonasera", "buona sera", "salve"),
}  # fmt: skip


UNITS = {
    "en": (
        "minute", "minutes", "hour", "hours", "second", "seconds", "day", "days", "week",
        "weeks", "month", "months", "year", "years", "percent", "pounds", "pound", "dollars",
        "dollar", "euros", "euro", "pence", "cents", "items", "times", "o'clock", "am", "pm",
        "quid", "bucks", "people", "kilos", "miles",
        # a count of digits is not a digit: "the three digits on the back"
        "digit", "digits", "numbers", "characters",
    ),
    # not "ora" (also "now") or "per": "3 2 1, ora la scadenza", "3 2 1 per favore"
    "it": ("minuti", "minuto", "secondi", "ore", "giorni", "giorno", "settimana",
           "settimane", "mese", "mesi", "anno", "anni", "euro", "centesimi", "percento",
           "volte", "rate", "persone", "pezzi", "chili", "chilometri", "metri", "dollari",
           "sterline", "notti",
           # what is counted in a basket, as "items" in English ("ci sono 2 articoli")
           "articoli", "articolo", "prodotti", "prodotto", "pacchi", "pacco",
           # a count of digits is not a digit: "le tre cifre sul retro", "le 4 cifre"
           "cifre", "cifra", "caratteri", "lettere"),
}  # fmt: skip


# Articles before a count: a lone digit after one is how many, not a digit read out ("le
# tre cifre sul retro" heard "le 3 ci prezune metro", "cifre" lost)
COUNTED = {"it": ("le",)}

# The rest of a cue after its first word, which ASR hears as a number: "il 12 di
# sicurezza" ("dodici" for "codice"; eight times in six Italian corpora), a label, not a
# digit of the code; and "il 12 fiscale" for "il codice fiscale" (it-s59-002, session 38:
# the agent's request was silenced as a security code)
CUE_TAILS = {"it": (("di", "sicurezza"), ("fiscale",))}

# Words before a time of day ("chiudiamo alle diciotto e trenta"): an hour and its minutes
# after one are a clock time, not digits read out
CLOCK = {"it": ("alle", "dalle")}

# The word joining a quantity's parts after its unit ("49 euro e 90", "2 ore e 30")
UNIT_JOINERS = {"en": ("and",), "it": ("e",)}

# The verb that introduces a detail ("il numero è", "eccolo, è", "l'IBAN è"): after a word
# ASR heard, it is the speaker's lead-in, not the number's first digit misheard. After
# a short or unsure word it may be one ("non è" for "nove", "e i" for "sei")
COPULAS = {"it": ("è",)}

# Possessives before a detail's name ("il mio cellulare è", "la sua email è"): heard
# surely, the word after them names the detail, however it was misheard ("il mio
# cellule è", "il mio chelame è"), and the verb after that introduces it
POSSESSIVES = {"it": ("mio", "mia", "suo", "sua")}

# articles a cue may follow, split off it ("l iman" for "l'IBAN"); after a copula, they
# start a noun phrase, not the detail ("il mio c è il rame è" for "il mio cellulare è")
ARTICLES = frozenset({"l", "il", "la", "lo", "le", "gli", "un", "una", "the", "your"})


REFERENCE_LABELS = {
    "en": ("order", "reference", "ref", "ticket", "case", "invoice", "tracking", "booking",
           "confirmation", "account", "policy", "customer", "claim"),
    "it": ("ordine", "pratica", "riferimento", "fattura", "cliente", "contratto", "ticket",
           "protocollo", "spedizione", "tracking", "prenotazione", "polizza", "sinistro",
           "utenza", "bolletta", "segnalazione", "reclamo", "d'ordine", "dell'ordine",
           "tracciamento"),
}  # fmt: skip


CARD_LIKE = ("CREDIT_CARD", "CARD_SECURITY_CODE", "CARD_EXPIRY")


MONTH_NAMES = {
    "en": ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december", "jan", "feb", "mar", "apr",
           "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"),
    "it": ("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto",
           "settembre", "ottobre", "novembre", "dicembre"),
}  # fmt: skip


# Languages whose contact and health requests are matched with _sounds_like
FUZZY_CUES = frozenset({"it"})


CONTACT_CUES = {
    "en": {
        "PHONE_NUMBER": ("phone number", "mobile number", "contact number", "phone", "mobile",
                         "telephone", "landline", "call you on", "reach you"),
        "EMAIL_ADDRESS": ("email", "e-mail", "email address", "mail address"),
        # "account" alone too: "and the account for the refund?" is a request for bank
        # details, and the answer after it was heard as nothing at all or as words
        "IBAN_CODE": ("iban", "account number", "sort code", "bank details", "bank account",
                      "account"),
        "HEALTH": ("medical conditions", "medical condition", "any conditions", "medication",
                   "medications", "medical history", "health conditions", "your health",
                   "any allergies", "pre-existing", "preexisting"),
        # the answer to an expiry question is the expiry, however ASR heard it ("john you're
        # it when they went there" for "january twenty twenty nine", one word at 0.82);
        # "date on the card" too: tiny.en hears "expiry" as "primary", "fiery", "XI"
        "CARD_EXPIRY": ("expiry", "expiry date", "expiration", "expiration date", "expires",
                        "expire", "date on the card", "valid until", "valid thru"),
        # ... and the next payment question ends that answer (never silenced itself)
        "PAYMENT_REQUEST": ("security code", "three digits", "digits on the back",
                            "on the back", "cvv", "cvc", "card number", "long number",
                            "name on the card", "on the front", "the back"),
    },
    "it": {
        "PHONE_NUMBER": ("numero di telefono", "numero di cellulare", "cellulare", "telefono",
                         "recapito", "recapito telefonico", "numero fisso", "whatsapp",
                         "ricontattare", "ricontattarla", "richiamare", "richiamarla",
                         # word for word only (phrases.EXACT_WORDS): "ri" split off
                         "contattare", "contattarla", "contattarvi", "chiamarla"),
        # tokens keep elisions ("l'iban"), so the elided forms are cues of their own
        # "indirizzo" alone too: base hears "e l'indirizzo email?" as "e l individo è mai"
        # (three corpora of session 22's and 21's), and the fuzzy match finds "individo";
        # a postal address's answer silenced is over-redaction, an e-mail heard a leak
        "EMAIL_ADDRESS": ("email", "e-mail", "mail", "indirizzo email", "indirizzo mail",
                          "l'email", "l'e-mail", "un'email", "l'indirizzo email",
                          "posta elettronica", "pec", "indirizzo", "l'indirizzo"),
        # "quale conto" too: "su quale conto facciamo il rimborso?" asks for the IBAN, and
        # heard as the only cue ("mi ferme l imane" after it), the e-mail's answer window
        # ran on over the question (it-s12-002)
        "IBAN_CODE": ("iban", "l'iban", "dell'iban", "conto corrente", "coordinate bancarie",
                      "numero di conto", "quale conto"),
        # "di salute" alone too: the words before it are heard as anything ("ne mi di
        # salute da segnalare?" for "ha problemi di salute da segnalare?"); and "da
        # segnalare" alone: "di salute" heard "disa nuke" too, and "faccio la dialisi"
        # leaked (it-s25-010); an answer to "anything else to report?" silenced is the cost
        "HEALTH": ("condizioni mediche", "patologia", "patologie", "malattia", "malattie",
                   "farmaci", "terapie", "di salute",
                   "stato di salute", "problemi di salute", "allergie", "ricoveri",
                   "interventi chirurgici", "salute da segnalare", "da segnalare"),
        # "fiscale" alone too: "codice" is short and base hears it as anything, often
        # glued on ("il coney cifiscale" for "il codice fiscale"; the fuzzy match strips
        # the glued syllable)
        "IT_FISCAL_CODE": ("codice fiscale", "fiscale", "tessera sanitaria"),
        # "partita" after an article too: base drops the short "iva" at the end of the
        # question ("mi ferme la partita" for "mi serve la partita iva")
        "IT_VAT_CODE": ("partita iva", "p iva", "piva", "la partita", "della partita",
                        "sua partita"),
        # the answer to "la data di scadenza?" is the expiry, however ASR heard it
        # ("mia ci mangamento di 5" for "dieci barra venticinque")
        "CARD_EXPIRY": ("scadenza", "data di scadenza"),
        # ... and the next payment question ends that answer. No policy entity is called
        # PAYMENT_REQUEST: its windows are never silenced, it only ends the others
        # "addebito" too: "e l'IBAN per l'addebito?" heard as "e riman per la debito" is
        # the agent's next question, not more of a partita IVA
        "PAYMENT_REQUEST": ("numero della carta", "intestatario", "addebito",
                            "l'addebito", "debito"),
        # the answer to "il codice di sicurezza?" is the code, however ASR heard it ("c è
        # che ne roccei" for "sette zero sei", sure words, it-s8-002 on session 20's
        # machine): its window is the customer's first utterance, as an expiry's is. It
        # ends the answer before it as the other payment questions do
        # (number words are digits by the time cues are matched: "sono le 3 cifre")
        "CARD_SECURITY_CODE": ("codice di sicurezza", "sicurezza", "tre cifre",
                               "quattro cifre", "3 cifre", "4 cifre", "cvv"),
        # the agent showing the talk has moved on ends an answer too: on telephone audio
        # base rarely hears four words in a row confidently, so the run that would end it
        # never comes and the window ran its full 15 s over the goodbye
        "MOVED_ON": ("perfetto", "grazie mille", "grazie per aver chiamato", "arrivederci",
                     "buona giornata", "buona serata", "c'è altro", "nient'altro",
                     "qualcos'altro", "serve altro", "posso fare altro", "numero d'ordine",
                     "il numero d'ordine"),
        "IT_IDENTITY_CARD": ("carta d'identità", "carta di identità", "carta identità",
                             "documento d'identità", "documento di identità",
                             "documento di riconoscimento", "numero del documento",
                             "estremi del documento", "identità"),
    },
}  # fmt: skip


# Per language: how many letters a spelled run (joined by redactor.spelling) needs to count
# as a caller dictating a code, and how many times an n-gram must repeat back to back to
# count as a decoding loop. Only languages whose pipeline joins spelled runs.
# The word for "." in an address read aloud: "<something> punto <short word>." is the end of
# one ("hotmail punto it", however ASR heard the domain).
DICTATION = {"it": {"letters": 3, "loop_repeats": 3, "loop_tokens": 12, "dot": "punto"}}


# Words before a contact cue that make it the customer's own ("my phone number is ...",
# or ASR's version of the address: "not for my phone number" for "john dot smith at mail"):
# the customer is answering, not the agent asking, so it ends no answer window
OWN = {"en": ("my", "our"), "it": ("mio", "mia", "miei", "mie", "nostro", "nostra")}


# Words that end a request ("... the three digits on the back please"): a number ASR was
# unsure of right after one is the answer (failclosed.answered_numbers)
REQUEST_ENDS = {"en": ("please",), "it": ("favore", "cortesia", "prego")}

# The words a caller says why they call with ("vorrei pagare una bolletta"): a payment cue
# that holds no detail of a card. Heard before any number and any other payment cue, the
# breath they are in is the caller's reason for calling, however unsure ASR was of it
INTENT_CUES = {"it": ("pagare", "pagamento", "bolletta", "bollette")}

# The words a payment request opens with, before its cue ("and the expiry date", "what's
# the security code"): said in the request's breath, they are the agent asking too
REQUEST_OPENERS = {"en": ("and", "the", "what's", "what", "is", "your")}


# Words a caller opens an answer with before reading a code out ("sì, allora ...", "certo",
# "eccolo"): heard confidently, they are the caller's own words, not the code's first
# characters misheard. Per language; a language without an entry has none.
ANSWER_LEADS = {"it": ("sì", "si", "allora", "certo", "ecco", "eccolo", "eccola", "esatto",
                       "dunque", "ok", "okay")}  # fmt: skip


# A yes said as a turn of its own answers a yes/no question whatever ASR heard the question
# as: the talk after it is an answer (health_answers.unasked_answers). Per language; a
# language without an entry has no such rule.
BARE_YES = {"it": ("sì", "si")}

# The agent acknowledging an answer ("grazie", "ricevuto"), heard surely, ends it: a
# code's answer window ran on over "grazie, la consegna arriva tra tre e cinque giorni"
# (it-s0-021, its digits broke every run of sure words) and over "grazie, ci vogliono
# venti minuti" (it-s56-025). Only some seconds after the request (request_bounds.ACK_AFTER):
# the caller may say it before answering ("sì, grazie, allora ...")
ACKNOWLEDGEMENTS = {"it": ("grazie", "ricevuto")}


# Words of courtesy and assent: heard between two pieces of a number, they are someone
# talking, never a digit misheard ("perfetto" after a read-back, "sì" before the next piece)
COURTESY = {
    "en": ("yes", "yeah", "no", "okay", "ok", "right", "thanks", "thank", "perfect", "great",
           "lovely", "sure"),
    "it": ("sì", "si", "no", "perfetto", "grazie", "prego", "bene", "benissimo", "ottimo",
           "esatto", "giusto", "va"),
}  # fmt: skip


# Words that make a health lead a question: "can I take the long card number" is the agent
# asking for the card, not the customer saying what they take (health_context_findings)
# (Italian asks with an infinitive, "posso prendere", which is no lead)
ASKING = {"en": ("can", "could", "may", "might", "shall", "should", "would", "let")}


# Short words that sound like a digit word ("fine" for "nine", "or" for "four"), beyond the
# homophones the tokenizer reads as digits: two of them heard confidently in a row may still
# be a read-back, so they do not prove the agent moved on (failclosed.bridge_in_windows)
DIGIT_SOUNDALIKES = {
    "en": frozenset({"or", "oh", "owe", "fine", "mine", "line", "sick", "sit", "six", "tea",
                     "run", "one", "eat", "eight", "two", "tow", "sore", "four", "hive",
                     "five", "nine", "ten", "then", "zero",
                     # "five" heard "time" (0.96) as a card's first digit (en-s62-001)
                     "time"}),
    "it": frozenset({"re", "sei", "sai", "otto", "nove", "uno", "due", "tu", "sette", "zero",
                     "tre", "cinque", "dieci"}),
}  # fmt: skip


# one-letter words that are words, not a half-heard digit ("e" is "and" in Italian)
_ONE_LETTER_WORDS = {"en": "ai", "it": "aeioèéòà"}


# Languages in which a run also reaches over one longer word said without a pause on
# either side: base glues a spoken separator to the digit after it ("0 3 bardamenti 6" for
# "zero tre barra ventisei"), and tiny.en writes an IBAN's bank code as a word between its
# digits ("8 -2, middle 1, 2, 3" for "G B eight two, midl one two three").
_BRIDGE_GLUED = {"it": 0.3, "en": 0.3}


_HOMOPHONES_UNHEARD = frozenset({"it"})
