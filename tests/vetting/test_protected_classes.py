"""The protected-class filter (385.5.4(d)) against the labelled examples in vetting/data/protected_labelled.jsonl.

The "dev" examples were read while the lexicons were written. The "check" examples were written afterwards and
measured once before the lexicons were broadened for plain wording; their misses were read then, so they no longer
show how the filter does on text it has not seen. The "check2" examples were written after that change and measured
once (0.78); their misses were read while the lexicons were broadened a second time, so they are seen text too. The
"check3" examples were written after the second change and measured once (0.75) before their misses were read for a
third. The "check4" examples were written by someone who had read neither the lexicons nor the other examples, and
measured before and after the third change without being read (0.866, then 0.874; neutral texts flagged 10/60);
their misses and wrong flags were then read for a fourth. Every split is now seen text: bench/README.md keeps the
figures each had while it was not.
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
        assert row["split"] in ("dev", "check", "check2", "check3", "check4")
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


def test_recall_on_check2_examples_written_after_the_lexicons_were_broadened():
    """Measured 0.78 when written; its misses were read for the second broadening, so it is held near what it
    measures now, as check is."""
    rows = _examples("check2")
    if not rows:
        pytest.skip("no check2 examples in the labelled set")
    found, missed = _recall(rows)
    total = sum(found.values()) + sum(len(texts) for texts in missed.values())
    recall = sum(found.values()) / total
    report = {key: texts for key, texts in sorted(missed.items())}
    assert recall >= 0.95, f"check2 recall {recall:.2f}; missed: {report}"


def test_recall_on_check3_examples_written_after_the_second_broadening():
    """Measured 0.75 when written; its misses were read for the third broadening, so it is held near what it
    measures now, as check2 is."""
    rows = _examples("check3")
    if not rows:
        pytest.skip("no check3 examples in the labelled set")
    found, missed = _recall(rows)
    total = sum(found.values()) + sum(len(texts) for texts in missed.values())
    recall = sum(found.values()) / total
    report = {key: texts for key, texts in sorted(missed.items())}
    assert recall >= 0.95, f"check3 recall {recall:.2f}; missed: {report}"


def test_recall_on_check4_examples_written_without_sight_of_the_lexicons():
    """Measured 0.866 and 0.874 without being read (the estimate for unseen text at the time); its misses were read
    for the fourth broadening, so it is held near what it measures now."""
    found, missed = _recall(_examples("check4"))
    total = sum(found.values()) + sum(len(texts) for texts in missed.values())
    assert total >= 200
    recall = sum(found.values()) / total
    report = {key: texts for key, texts in sorted(missed.items())}
    assert recall >= 0.95, f"check4 recall {recall:.2f}; missed: {report}"


@pytest.mark.parametrize("split", ("dev", "check", "check2", "check3", "check4"))
@pytest.mark.parametrize("lang", LANGUAGES)
def test_few_flags_on_texts_that_reveal_nothing_protected(lang, split):
    negatives = [row for row in _examples(split) if not row["categories"] and row["lang"] == lang]
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
        "Bragged about doing 90 where the sign says 58 mph, and about going 58 mph in a school zone.",
        "Posted a photo of room 58 at the motel where the party was.",
        "Said the police operation downtown caught twelve people.",
        "Shared a story about an undercover operation that busted a chop shop.",
        "Tagged his coworker Jim Walker in a fishing photo.",
        "Posted about the liberal use of hot sauce on his tacos.",
        "Gave a conservative estimate of how many beers he drank.",
        "Said he had a conservative approach to spending.",
        "Shared a recipe that uses cane sugar instead of honey.",
        "Posted a photo of candy canes on the office tree.",
        "Complained that the score was 58 to 40 at halftime.",
        "Said the speed limit is 25 here and nobody follows it.",
        "Posted that he was 30 seconds from missing the bus.",
        "Posted that the Raiders are 10 and 2 this season.",
        "Said he was stone-cold sober when he got the ticket.",
        "Shared a breakdown of his monthly expenses.",
        "Posted a video of his truck's broken back window.",
        "Wrote that the department has a procedure for complaints.",
        "Threatened to put his neighbor in the hospital.",
        "Se quejó de la operación policial en su colonia.",
        "Compartió fotos de sus audífonos nuevos para el gimnasio.",
        "Publicó que tiene 25 años de experiencia en construcción.",
        "Dijo que tiene 20 multas sin pagar.",
        "Escribió que el tráfico va de derecha a izquierda en esa calle.",
        "Publicó que se subió a la montaña rusa y casi vomita.",
        "Dijo que su jefe es muy conservador con los gastos.",
        "Escribió que su hijo fue blanco de burlas en la escuela.",
        "Publicó que le pegó con un bastón retráctil a un tipo.",
        "Escribió que su origen es humilde y que trabajó desde niño.",
        # Gendered nouns about someone other than the candidate, in a fight or a crime, say nothing protected
        # about the candidate.
        "Posted a threat to 'handle' a neighbour who parks in front of her house.",
        "Posted a video of herself shoving a man outside a bar on 4th Street and laughing about it.",
        "Bragged about driving 120 mph on the freeway.",
        "Posted a rant calling a coworker a slur.",
        "Threatened to beat up his neighbor over a parking spot.",
        "Complained about the guy at the counter who got his order wrong.",
        "Shared a news story about two men who stole a bike from his porch.",
        "Said a man cut him off in traffic and he followed him home.",
        "Posted that the guys from his crew went drinking after the shift.",
        # Words the broader lexicons use, in their everyday sense.
        "Said he pumped gas and drove off without paying.",
        "Posted a photo of his bike with two blue lines painted on the frame.",
        "Said the new truck hit 60 in four seconds.",
        "Shared that he hit 40 followers on his new page.",
        "Bragged about getting clean away from the cops.",
        "Complained that the security guard at the mall kicked him out.",
        "Wrote that he sat in the guard shack all night.",
        "Said the fire drill at work was a waste of time.",
        "Posted a bootcamp workout video from his gym.",
        "Shared a meme about the vet charging too much for his dog.",
        "He posted a photo of the sunset with deep orange tones.",
        "Said the paint on his car is darker than the rest of the lot.",
        "Dijo que él va a ir a la fiesta el sábado.",
        "Publicó que él va a demandar a su vecino.",
        "Publicó que esta vieja troca ya no arranca.",
        "Dijo que cruzó la calle sin ver y casi lo atropellan.",
        "Escribió que el tipo de la tienda es un tramposo.",
        "Dijo que la casa es del 85 y se está cayendo.",
        "Dijo que la cerveza clarita es la mejor.",
        "Publicó que dejó de tomar café por la mañana.",
        "Dijo que su carro tiene 40 mil millas.",
        # Words the fourth broadening uses, in their everyday sense.
        "Said the academy is 26 weeks and field training is 12 weeks.",
        "Wrote that the sky got darker as the storm came in.",
        "Said he is due in court in March over the ticket.",
        "Posted that the rent is due next week.",
        "Graduated from the police academy in 2015.",
        "Posted a photo from a mixed martial arts fight.",
        "Said he wears a brace of pistols in the old photo.",
        "Canvassed the neighborhood for his lost dog.",
        "Called a neighbor a racial slur in a comment thread.",
        "Used a homophobic slur toward another player during a stream.",
        "Parked at the church lot to watch the game at the bar next door.",
        "Said the refs were blind during the Warriors game.",
        "Lleva 6 semanas en el nuevo trabajo.",
        "Se alivió de la gripa en marzo.",
        "Le dio un ataque de risa en la junta.",
        "Perdió el control del carro en la curva.",
        "Receta de tacos al pastor para la carne asada del domingo.",
        "Le gritó insultos racistas a un vecino.",
        "Subió un video de una pelea afuera de un bar en Santa Ana.",
        "Dijo que el árbitro estaba ciego en el clásico.",
    ],
)
def test_everyday_words_alone_are_not_flagged(text):
    assert categories_in(text) == set()


@pytest.mark.parametrize(
    ("category", "text"),
    [
        ("age", "He is 58 and thinking about retiring."),
        ("age", "Wrote that she's 23 and still lives at home."),
        ("age", "Posted that he retired at 55."),
        ("age", "Dijo que tiene 58 y ya piensa en jubilarse."),
        ("age", "Con 58 años sigue jugando fútbol."),
        ("age", "Comentó que está en sus cincuenta y se siente joven."),
        ("disability", "He is recovering from a torn ACL and doing physical therapy twice a week."),
        ("disability", "Wrote that he walks with a cane after his hip replacement."),
        ("disability", "Said he is 6 months sober."),
        ("disability", "Posted that he hurt his back lifting boxes at work."),
        ("disability", "Posted that he injured a suspect during an arrest."),
        ("disability", "Comentó que lo operaron de la rodilla y anda con muletas."),
        ("disability", "Publicó que lleva dos años sobrio y va a las juntas de AA."),
        ("disability", "Dijo que estuvo internado una semana por una infección."),
        ("disability", "Publicó que perdió la vista de un ojo en un accidente."),
        ("color", "Said people comment on how dark her skin is."),
        ("color", "Comentó que de niño le decían el güero."),
        ("national_origin", "Wrote that his family left Cuba in the sixties."),
        ("national_origin", "Comentó que es de origen salvadoreño."),
        ("national_origin", "Dijo que sus papás vienen de la Sierra de Oaxaca."),
        ("race", "Wrote that her dad is Black and her mom is white."),
        ("race", "Dijo que su abuela es negra y su abuelo blanco."),
        ("political", "Describes himself as a conservative Christian."),
        ("political", "Dijo que es de izquierda desde joven."),
        ("political", "Su perfil dice que es liberal y feminista."),
        ("genetic_information", "Said there is a lot of diabetes in her family."),
        ("genetic_information", "Contó que su mamá y su tía murieron jóvenes de cáncer."),
        ("sex", "Wrote that as a woman in construction she gets talked over."),
        ("sex", "Said he is the only guy in his nursing cohort."),
        ("sex", "Comentó que es la única mujer en su turno."),
        ("color", "Wrote that the other kids teased him for being darker than his brothers."),
        ("color", "Dijo que de chica la molestaban por ser tan morenita."),
        ("pregnancy", "Posted that she and her husband are having their first baby in the spring."),
        ("pregnancy", "Publicó que va a tener su segundo bebé en abril."),
        ("age", "Posted that she turned the big 5-0 last week."),
        ("age", "Publicó que ya llegó a los cincuenta."),
        ("genetic_information", "Said everyone in his family has diabetes."),
        ("genetic_information", "Contó que por parte de su papá todos tienen presión alta."),
        ("gender_identity", "Shared that she has been on estrogen for a year."),
        ("gender_identity", "Publicó que empezó a tomar testosterona."),
        ("military_status", "Said he drills one weekend a month with the Guard."),
        ("military_status", "Said he gets his prescriptions through the VA."),
        ("national_origin", "Compartió una foto con la leyenda 'catracho hasta la muerte'."),
        ("sexual_orientation", "Publicó que ella y su esposa celebraron diez años juntas."),
    ],
)
def test_plain_words_reveal_the_category(category, text):
    assert category in categories_in(text)
