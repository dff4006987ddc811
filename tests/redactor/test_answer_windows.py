"""Answer windows after a request for contact details, as speech recognition shapes them."""

from __future__ import annotations

from policies.redaction import RedactionPolicy
from redactor.failclosed import contact_windows
from redactor.tokens import normalize
from redactor.transcribe import Word

POLICY = RedactionPolicy()


def timeline(spec: str):
    """``word/start/end/probability`` items separated by spaces."""
    words = []
    for item in spec.split():
        w, s, e, p = item.split("/")
        words.append(Word(w, float(s), float(e), float(p), 0, 0))
    return normalize(words, "en")


def test_an_answer_run_on_from_the_request_without_a_pause_is_still_covered():
    # s0-015: "and your email address? john dot smith at mail dot co dot uk" heard with no
    # sentence end and no pause between the question and the answer
    toks = timeline(
        "and/16.9/17.0/0.83 your/17.0/17.2/0.81 email/17.2/17.5/0.98 address/17.5/18.2/1.0 "
        "is/18.2/18.8/0.28 not/18.8/18.9/0.49 missed/18.9/19.3/0.16 at/19.3/19.5/0.34 "
        "mail/19.5/19.7/0.91 co/19.7/20.2/0.48 uk/20.2/21.0/1.0 and/21.0/22.0/0.39 "
        "the/22.0/22.3/0.96 account/22.3/22.6/0.99 for/22.6/22.9/0.99 the/22.9/23.0/0.99 "
        "refund/23.0/23.5/0.98"
    )
    [w] = [w for w in contact_windows(toks, POLICY, "en") if w.entity_type == "EMAIL_ADDRESS"]
    assert w.start <= 18.5 and w.end >= 20.8


def test_a_clearly_heard_request_still_ends_where_it_ends():
    toks = timeline(
        "what's/1.0/1.2/0.95 the/1.2/1.3/0.97 best/1.3/1.5/0.96 phone/1.5/1.8/0.99 "
        "number/1.8/2.1/0.99 to/2.1/2.2/0.97 reach/2.2/2.4/0.98 you/2.4/2.6/0.99 "
        "0/3.4/3.7/0.6 7/3.7/4.0/0.7 7/4.0/4.3/0.5"
    )
    windows = [w for w in contact_windows(toks, POLICY, "en") if w.entity_type == "PHONE_NUMBER"]
    assert windows and all(w.start == 2.6 for w in windows)
