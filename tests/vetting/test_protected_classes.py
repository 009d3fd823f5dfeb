"""The protected-class filter (385.5.4(d)) against the labelled examples in vetting/data/protected_labelled.jsonl.

The "dev" examples were read while the lexicons were written; the "check" examples were written afterwards and
never used to change them, so their figures show how the filter does on text it has not seen.
"""

import json
from collections import defaultdict
from pathlib import Path

import pytest

from vetting.protected_classes import CATEGORIES, Flag, categories_in, flag_protected

pytestmark = pytest.mark.policy("385.5.4(d)")

DATA = Path(__file__).resolve().parents[2] / "vetting" / "data" / "protected_labelled.jsonl"
LANGUAGES = ("en", "es")


def _examples(split=None):
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [row for row in rows if split is None or row["split"] == split]


def _recall(rows):
    """Found and missed examples per (category, language)."""
    found, missed = defaultdict(int), defaultdict(list)
    for row in rows:
        got = categories_in(row["text"])
        for category in row["categories"]:
            if category in got:
                found[(category, row["lang"])] += 1
            else:
                missed[(category, row["lang"])].append(row["text"])
    return found, missed


def test_labelled_set_is_well_formed():
    for row in _examples():
        assert row["lang"] in LANGUAGES
        assert row["split"] in ("dev", "check")
        assert set(row["categories"]) <= set(CATEGORIES), row


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("category", sorted(CATEGORIES))
def test_recall_on_dev_examples(category, lang):
    found, missed = _recall(_examples("dev"))
    total = found[(category, lang)] + len(missed[(category, lang)])
    assert total > 0, f"no dev examples for {category}/{lang}"
    recall = found[(category, lang)] / total
    assert recall >= 0.95, f"{category}/{lang} recall {recall:.2f}; missed: {missed[(category, lang)]}"


def test_recall_on_check_examples_written_after_the_lexicons():
    rows = _examples("check")
    if not rows:
        pytest.skip("no check examples in the labelled set")
    found, missed = _recall(rows)
    total = sum(found.values()) + sum(len(texts) for texts in missed.values())
    recall = sum(found.values()) / total
    report = {key: texts for key, texts in sorted(missed.items())}
    assert recall >= 0.85, f"check recall {recall:.2f}; missed: {report}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_few_flags_on_texts_that_reveal_nothing_protected(lang):
    negatives = [row for row in _examples() if not row["categories"] and row["lang"] == lang]
    assert len(negatives) >= 25
    flagged = {row["text"]: sorted(categories_in(row["text"])) for row in negatives if categories_in(row["text"])}
    assert len(flagged) / len(negatives) <= 0.10, flagged


def test_every_flag_points_at_the_text_as_written():
    for row in _examples():
        text = row["text"]
        for flag in flag_protected(text):
            assert isinstance(flag, Flag)
            assert 0 <= flag.start < flag.end <= len(text)
            assert flag.excerpt == text[flag.start : flag.end]
            assert flag.label == CATEGORIES[flag.category]


def test_offsets_survive_accents_and_curly_quotes():
    text = "Publicó: “Soy católica” y su mamá está embarazada — ¡qué alegría!"
    flags = {flag.category: flag for flag in flag_protected(text)}
    assert flags["religion"].excerpt == "católica"
    assert text[flags["religion"].start : flags["religion"].end] == "católica"
    assert flags["pregnancy"].excerpt == "embarazada"

    text = "Posted a photo from his daughter’s bar mitzvah at the synagogue."
    excerpts = [flag.excerpt for flag in flag_protected(text) if flag.category == "religion"]
    assert "bar mitzvah" in excerpts
    assert "synagogue" in excerpts


def test_spanish_without_accents_is_still_read():
    assert "religion" in categories_in("Dice que es catolica y va a misa los domingos.")
    assert "pregnancy" in categories_in("Esta embarazada y espera un bebe para diciembre.")
    assert "military_status" in categories_in("Sirvio cuatro anos en el ejercito.")


def test_empty_text_has_no_flags():
    assert flag_protected("") == []
    assert categories_in("") == set()


def test_church_and_denomination_are_both_covered():
    text = "Posted photos from Sunday service at her church, Grace Baptist, where she sings in the choir."
    religion = [flag for flag in flag_protected(text) if flag.category == "religion"]
    assert religion
    for word in ("church", "Baptist"):
        at = text.index(word)
        assert any(flag.start <= at and at + len(word) <= flag.end for flag in religion), word


def test_plain_statements_are_flagged():
    assert "marital_status" in categories_in("Wrote that he married his high-school sweetheart in 2015.")
    assert "pregnancy" in categories_in("Her profile says she is eight months pregnant with twins.")


def test_overlapping_and_touching_flags_of_one_category_are_merged():
    text = "He is a Southern Baptist deacon."
    religion = [flag for flag in flag_protected(text) if flag.category == "religion"]
    assert len(religion) == 1
    assert religion[0].excerpt == "Southern Baptist deacon"

    text = "Bio: veterano; Guardia Nacional."
    military = [flag for flag in flag_protected(text) if flag.category == "military_status"]
    assert [flag.excerpt for flag in military] == ["veterano; Guardia Nacional"]


def test_flags_are_in_text_order():
    text = "Retired Army veteran, married, Catholic, born in 1960."
    starts = [flag.start for flag in flag_protected(text)]
    assert starts == sorted(starts)
    assert {"military_status", "marital_status", "religion", "age"} <= categories_in(text)


@pytest.mark.parametrize(
    "text",
    [
        "Shared a photo of his white pickup truck after a wash.",
        "Said he starts the new job in March and can't wait.",
        "Publicó el marcador del partido del América con muchos signos de exclamación.",
        "Shared a recipe for French toast and Greek yogurt.",
        "Uploaded a video of a street race in an industrial park.",
    ],
)
def test_everyday_words_alone_are_not_flagged(text):
    assert categories_in(text) == set()
