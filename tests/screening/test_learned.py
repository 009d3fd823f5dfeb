"""Screening that finds what the policy exists to catch (385.5, 385.5.1, 385.5.2(b)), in English and Spanish: the
examples that wave one let through, model findings that explain themselves, every field of a post, the
threat score ordering the monitoring queue, and a model file the corpus rebuilds byte for byte."""

import shutil
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from moderation import services as review
from moderation.models import ConfidentialTerm
from moderation.screening import classifier, screen, screen_text, training
from moderation.screening.rules import registry as registry_rule
from posts import services as posts
from tests.posts.factories import draft

pytestmark = pytest.mark.django_db


def labels(text, kind):
    return training.labels_found(kind, screen(text, kind=kind))


# The examples the issue quotes, each in its language -------------------------------------------------------


@pytest.mark.policy("385.5.1", "385.5.1(a)", "385.5.2(b)")
@pytest.mark.parametrize(
    "kind, text, label, language",
    [
        ("comment", "I know where officer Smith lives and I will get him", "threat", "en"),
        ("comment", "kill yourself", "threat", "en"),
        ("post", "El sospechoso es culpable", "guilt", "es"),
        ("post", "Vote por el alcalde", "political", "es"),
        # Threats that name no weapon: a plan to hurt a named officer, an officer's children, running someone over.
        ("comment", "Officer Diaz is gonna get what's coming to him when he walks to his car tonight", "threat", "en"),
        ("comment", "Nice kids you have, Sgt. Ruiz. Shame if something happened to them on the way to school",
         "threat", "en"),
        ("comment", "next time I see that cop crossing Monroe I'm not hitting the brakes", "threat", "en"),
        ("comment", "Ya sabemos dónde vives, oficial. Cuida a tus hijos", "threat", "es"),
        ("post", "Sabemos que él lo hizo y pasará años en la cárcel", "guilt", "es"),
        ("comment", "eres un pendejo y un payaso", "attack", "es"),
    ],
)  # fmt: skip
def test_the_examples_that_went_through_are_found(kind, text, label, language):
    result = screen_text(text, kind=kind)
    assert label in training.labels_found(kind, result.findings)
    assert result.language == language


def test_the_lifesaving_award_is_clean():
    assert screen("Officer Maria Harris received the lifesaving award", kind="post") == []


def test_a_politicians_name_is_political_only_near_political_activity():
    assert "political" not in labels("Officer Kim Trump retires after 25 years; join us for cake Friday.", "post")
    assert "political" in labels("Vote for Harris on Tuesday and tell your neighbours to do the same!", "post")


def test_idioms_and_neutral_department_words_are_not_violations():
    assert labels("This traffic on Jackson is murder, who timed these lights", "comment") == set()
    assert labels("Shoot me a message when the road reopens please", "comment") == set()
    assert labels("We'll fight this ticket in court, thanks for the info", "comment") == set()
    assert labels("Our bomb squad trained with county partners this week at the range.", "post") == set()
    assert labels("Sex offender registration is by appointment at the front counter.", "post") == set()


@pytest.mark.policy("385.5.1")
def test_a_threat_from_the_model_escalates_and_explains_itself():
    (finding,) = [f for f in screen("we all know which lot you park in after your shift, sarge", kind="comment")
                  if f.rule_id == "comment.threat"]  # fmt: skip
    assert finding.escalate and finding.section == "385.5.1" and finding.severity == "block"
    assert finding.data["source"] == "model" and finding.data["score"] >= finding.data["threshold"]
    assert finding.data["words"] and "screening model scores it" in finding.explanation
    assert finding.data["data_sha256"] == classifier.load("comment").data_sha256


def test_turning_a_rule_off_turns_its_model_off(supervisor):
    from moderation.screening import services

    text = "we all know which lot you park in after your shift, sarge"
    assert "threat" in labels(text, "comment")
    services.set_rule_setting(actor=supervisor, rule_id="comment.threat", enabled=False)
    assert "threat" not in labels(text, "comment")


# Every field of a post, each finding naming its field ------------------------------------------------------


@pytest.fixture
def registry_term(supervisor):
    ConfidentialTerm.objects.create(
        term="Marcus Delgado", kind="suspect", case_number="24-018734",
        expires_on=timezone.localdate() + timedelta(days=30), created_by=supervisor,
    )  # fmt: skip
    registry_rule._cache.update(key=None, terms=())


@pytest.mark.policy("385.5(a)", "385.5(c)", "385.5.2(b)")
def test_every_field_is_screened_and_each_finding_names_it(author, channel, registry_term, png_upload):
    post = draft(author, [channel], title="Update on the Marcus Delgado case",
                 body="Detectives are asking for tips about a burglary on Monroe St.",
                 translation_language="es", translation_body="El sospechoso es culpable.")  # fmt: skip
    png_upload.name = "marcus_delgado_booking.png"
    posts.add_attachment(actor=author, post=post, uploaded=png_upload,
                         alt_text="Photo of the dumbass who did it")  # fmt: skip
    r = review.submit_for_review(actor=author, post=post)
    found = {(f.field, f.rule_id) for f in r.findings.all()}
    assert ("title", "investigation.registry") in found
    assert ("file_name", "investigation.registry") in found
    assert ("translation", "conduct.guilt") in found
    assert ("alt_text", "conduct.abusive") in found
    file_finding = r.findings.get(field="file_name")
    assert file_finding.where == "in the file name marcus_delgado_booking.png"


# The monitoring queue: threats first, by score -------------------------------------------------------------


@pytest.mark.policy("385.5.1")
def test_comments_are_screened_in_their_language_and_sorted_by_threat_score(
    author, channel, supervisor, signed_in, django_capture_on_commit_callbacks
):
    from posts.publishing.intake import receive_comment

    post = draft(author, [channel])
    review.submit_for_review(actor=author, post=post)
    review.approve_post(actor=supervisor, post=post)
    with django_capture_on_commit_callbacks(execute=True):
        posts.publish_post(actor=author, post=post)
    post.refresh_from_db()

    def comment(text):
        return receive_comment(channel=channel, post=post, author_name="Visitor", text=text, ip=None)

    calm = comment("Gracias por la información sobre el cierre de la calle, bendiciones")
    veiled = comment("we all know which lot you park in after your shift, sarge")
    assert calm.screening.language == "es" and calm.screening.threat_score < veiled.screening.threat_score
    assert veiled.screening.escalated
    page = signed_in(supervisor).get("/monitoring/").content.decode()
    assert page.index(f"/monitoring/comments/{veiled.pk}/") < page.index(f"/monitoring/comments/{calm.pk}/")
    assert "Threat score" in page


# The models are code: the corpus rebuilds them --------------------------------------------------------------


def test_training_rebuilds_the_shipped_models_byte_for_byte():
    call_command("train_screening", "--check")


def test_a_change_in_the_corpus_changes_the_model(tmp_path):
    """The negative control for the test above: the check would notice a model that the data does not make."""
    corpus = tmp_path / "corpus"
    shutil.copytree(training.CORPUS, corpus, ignore=shutil.ignore_patterns("heldout"))
    shipped = classifier.model_path("comment").read_bytes()
    with open(corpus / "comments.en.a.jsonl", "a", encoding="utf-8") as f:
        f.write('{"text": "see you at your kid\'s game Saturday, deputy", "lang": "en", "labels": ["threat"], '
                '"note": "veiled threat: family member and a time"}\n')  # fmt: skip
    path = training.write("comment", output=tmp_path / "out", directory=corpus, log=lambda line: None)
    assert path.read_bytes() != shipped
    assert training.data_sha256("comment", corpus) != classifier.load("comment").data_sha256


def test_training_never_reads_the_held_out_split():
    trained_on = {e.text for kind in training.KINDS for e in training.load(kind)}
    held_out = {e.text for kind in training.KINDS for e in training.load(kind, heldout=True)}
    assert held_out and not trained_on & held_out


def test_the_corpus_is_big_enough_and_in_both_languages():
    for kind in training.KINDS:
        examples = training.load(kind) + training.load(kind, heldout=True)
        assert len(examples) >= 1500
        assert {e.lang for e in examples} == {"en", "es"}
        assert all(e.note.strip() for e in examples)


def test_bad_corpus_lines_name_their_place(tmp_path):
    (tmp_path / "comments.bad.jsonl").write_text('{"text": "hi", "lang": "en", "labels": ["rude"], "note": "x"}\n')
    with pytest.raises(training.CorpusError, match=r"comments.bad.jsonl:1: unknown label\(s\) rude"):
        training.load("comment", directory=tmp_path)
