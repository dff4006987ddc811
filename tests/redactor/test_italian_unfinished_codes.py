"""A code's answer window with characters missing ends where the customer stops talking
(session 22)."""

from redactor.answer_edges import AnswerWindow, unfinished_code
from redactor.tokens import normalize
from tests.fixtures.tokens import words

# it-s15-026 (44 kHz mono): a fiscal code spelled "C come Como ..." whose last characters
# "A 6 6 2 P" (23.9-27.8 s) came out "ufficio pagamenti buongiorno", the agent's greeting
# repeated at 0.9; the window timed out at 25.8 s, in the middle of the customer's breath
DICTATED = (
    "ci/11.94/12.12/0.47 come/12.12/12.36/0.88 chomo/12.36/12.74/0.46"
    " mecome/14.64/14.9/0.16 milano/14.9/15.3/0.71 ci/15.64/15.72/0.97"
    " comegiano/15.72/16.28/0.16 necomenapoli/16.86/17.78/0.69 necomenapooli/18.14/19.14/0.42"
    " 7/19.5/19.98/0.75 nome/20.24/20.48/0.9 di/20.88/20.92/0.42 come/20.92/21.16/0.45"
    " gomodossola/21.16/21.88/0.32 05/22.26/23.3/0.16 ufficio/24.92/25.78/0.87"
    " pagamenti/25.78/26.14/0.95 buongiorno/26.14/27.68/0.94 grazie/27.68/28.86/0.88"
)
SPEECH = {0: [(20.2, 22.13), (22.25, 23.57), (23.88, 24.79), (25.0, 25.43), (25.58, 26.04),
              (26.19, 26.61), (26.8, 27.86), (28.4, 31.92)]}  # fmt: skip


def test_a_code_window_short_of_characters_runs_to_the_end_of_the_customers_breath():
    toks = normalize(words(DICTATED), "it")
    w = unfinished_code(AnswerWindow(10.12, 25.8, "IT_FISCAL_CODE"), toks, SPEECH, "it")
    assert w.end == 27.86


def test_a_code_window_with_all_its_characters_ends_where_it_did():
    toks = normalize(words("1234567890123456/12.0/20.0/0.9"), "it")
    w = AnswerWindow(10.12, 25.8, "IT_FISCAL_CODE")
    assert unfinished_code(w, toks, SPEECH, "it") == w


def test_a_window_ending_in_a_pause_is_not_run_on():
    toks = normalize(words(DICTATED), "it")
    w = AnswerWindow(10.12, 28.2, "IT_FISCAL_CODE")
    assert unfinished_code(w, toks, SPEECH, "it") == w


def test_a_long_breath_after_the_window_is_talk_and_not_run_on_into():
    # it-s13-028: the window ended in the agent's short "perfetto" breath; the agent's
    # "ci vogliono venti minuti" after it (1.5 s) is no character of the code
    toks = normalize(words("pic/27.0/27.24/0.9 come/27.24/27.44/0.9 bononia/27.44/27.98/0.9"), "it")
    speech = {0: [(27.12, 28.21), (28.68, 29.36), (29.55, 31.06), (31.82, 33.4)]}
    w = unfinished_code(AnswerWindow(20.0, 28.9, "IT_FISCAL_CODE"), toks, speech, "it")
    assert w.end == 29.36
