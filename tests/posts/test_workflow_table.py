"""The lifecycle table in posts/workflow.py: the README's diagram, its states, and transition() refusing what it
does not allow."""

import re
from pathlib import Path

import pytest

from core.errors import InvalidTransition
from core.models import AuditEvent
from moderation import services as review
from posts import services as posts
from posts import workflow
from posts.models import Post
from tests.posts.factories import draft

README = Path(__file__).resolve().parents[2] / "README.md"
S = Post.Status


def test_readme_diagram_is_the_table():
    blocks = re.findall(r"^```mermaid\n(.*?)^```$", README.read_text(encoding="utf-8"), flags=re.DOTALL | re.M)
    assert len(blocks) == 1, "README.md should hold exactly one mermaid block, the post lifecycle"
    assert blocks[0] == workflow.mermaid(), "README.md's post lifecycle diagram differs from posts/workflow.py"


def test_diagram_is_sorted_and_has_a_line_per_move():
    lines = workflow.mermaid().splitlines()
    assert lines[:2] == ["stateDiagram-v2", f"    [*] --> {workflow.INITIAL}"]
    assert lines[2:] == sorted(lines[2:])
    assert len(lines[2:]) == sum(len(t.sources) for t in workflow.TRANSITIONS.values())


def test_every_state_is_a_status_and_every_status_is_reachable():
    statuses = set(S.values)
    assert workflow.INITIAL == Post._meta.get_field("status").default
    for name, t in workflow.TRANSITIONS.items():
        assert t.name == name
        assert t.target in statuses, f"{name} leads to {t.target!r}, which is not a Post.Status"
        assert t.sources and t.sources <= statuses, f"{name} starts from something that is not a Post.Status"
        assert t.verb.startswith("post.") and t.actor
    reached, frontier = {workflow.INITIAL}, [workflow.INITIAL]
    while frontier:
        state = frontier.pop()
        for t in workflow.TRANSITIONS.values():
            if state in t.sources and t.target not in reached:
                reached.add(t.target)
                frontier.append(t.target)
    assert reached == statuses


def test_decisions_are_transitions_from_the_same_states():
    assert {workflow.TRANSITIONS[name].sources for name in workflow.DECISIONS} == {frozenset({S.IN_REVIEW})}


def test_editable_comes_from_the_table():
    assert Post.EDITABLE == workflow.TRANSITIONS["withdraw"].sources == workflow.EDITABLE
    assert all(isinstance(state, S) for state in Post.EDITABLE)
    assert Post.EDITABLE == {S.DRAFT, S.CHANGES_REQUESTED, S.IN_REVIEW, S.APPROVED, S.SCHEDULED}


def _unchanged(post):
    return (
        Post.objects.filter(pk=post.pk).values_list("status", "version", "updated_at").get(),
        post.history.count(),
        AuditEvent.objects.count(),
    )


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(name for name, t in workflow.TRANSITIONS.items() if S.DRAFT not in t.sources))
def test_a_draft_is_refused_what_the_table_does_not_allow_and_nothing_changes(author, channel, name):
    post = draft(author, [channel])
    before = _unchanged(post)
    with pytest.raises(InvalidTransition) as refused:
        posts.transition(post, name, actor=author, reason="Not from a draft")
    assert refused.value.field == "status"
    assert refused.value.message.startswith("This post is draft; it cannot be ")
    assert _unchanged(post) == before
    assert post.status == S.DRAFT


@pytest.mark.django_db
def test_refusal_names_the_state_and_the_move(author, channel):
    post = draft(author, [channel])
    review.submit_for_review(actor=author, post=post)
    before = _unchanged(post)
    with pytest.raises(InvalidTransition) as refused:
        posts.transition(post, "submit", actor=author)
    assert refused.value.message == "This post is in review; it cannot be submitted from that state."
    with pytest.raises(InvalidTransition) as refused:
        posts.transition(post, "publish", actor=author)
    assert refused.value.message == "This post is in review; it cannot be published from that state."
    assert _unchanged(post) == before


@pytest.mark.django_db
def test_an_unknown_transition_is_a_programming_error(author, channel):
    post = draft(author, [channel])
    before = _unchanged(post)
    with pytest.raises(ValueError, match="publish_now"):
        posts.transition(post, "publish_now", actor=author)
    with pytest.raises(ValueError):
        workflow.allows(post, "publish_now")
    assert _unchanged(post) == before
