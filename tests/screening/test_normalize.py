import pytest

from moderation.screening import screen
from moderation.screening.normalize import normalize

pytestmark = pytest.mark.django_db


def test_ascii_is_lowercased_in_place():
    norm = normalize("Call ME")
    assert norm.text == "call me" and norm.span(5, 7) == (5, 7)


def test_zero_width_bidi_fullwidth_and_accents_are_folded_with_spans_into_the_original():
    original = "Ｆ\u200bu\u202eck ÉLAN"
    norm = normalize(original)
    assert norm.text == "fuck elan"
    start = norm.text.index("elan")
    assert original[slice(*norm.span(start, start + 4))] == "ÉLAN"


def test_lookalike_letters_do_not_hide_a_word():
    # Cyrillic а and с in "ACAB"
    findings = screen("\u0410\u0421\u0410B", kind="comment")
    assert any(f.rule_id == "comment.inflammatory" for f in findings)
    (f,) = [f for f in findings if f.rule_id == "comment.inflammatory"]
    assert f.excerpt == "\u0410\u0421\u0410B"


def test_hidden_characters_do_not_hide_a_threat():
    text = "I'm going to k\u200bill every cop"
    (f,) = [f for f in screen(text, kind="comment") if f.rule_id == "comment.threat"]
    assert text[f.start : f.end] == text[text.index("I'm") : text.index("cop") + 3]
