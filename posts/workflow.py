"""A post's lifecycle, in one table: each transition's name, the states it may start from, the state it leads to,
who may make it and the audit verb it records.

`posts.services.transition()` moves a post only along an entry of this table, and `Post.EDITABLE`, the permissions
and the review services read their states from it. States are the values of `Post.Status`, written out so that
`posts.models` can build on this module; a test checks that they match.
"""

from dataclasses import dataclass

DRAFT = "draft"
IN_REVIEW = "in_review"
CHANGES_REQUESTED = "changes_requested"
APPROVED = "approved"
SCHEDULED = "scheduled"
PUBLISHED = "published"
REJECTED = "rejected"
REMOVED = "removed"
WITHDRAWN = "withdrawn"

INITIAL = DRAFT

REVIEWER = (
    "a supervisor, the Chief or the designee who neither wrote nor edited it (385.3); "
    "for an incident update, the incident's commander (385.4.1)"
)


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset
    target: str
    actor: str
    verb: str
    section: str | None


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        Transition(
            name="submit",
            sources=frozenset({DRAFT, CHANGES_REQUESTED}),
            target=IN_REVIEW,
            actor="the author or a member who may edit it, authorized to post on every channel",
            verb="post.submitted",
            section="385.3",
        ),
        Transition(
            name="return_to_review",
            sources=frozenset({APPROVED, SCHEDULED}),
            target=IN_REVIEW,
            actor="whoever edits it after approval: the edited text needs a new approval",
            verb="post.returned_to_review",
            section="385.3",
        ),
        Transition(
            name="approve",
            sources=frozenset({IN_REVIEW}),
            target=APPROVED,
            actor=REVIEWER,
            verb="post.approved",
            section="385.3",
        ),
        Transition(
            name="approve_scheduled",
            sources=frozenset({IN_REVIEW}),
            target=SCHEDULED,
            actor=REVIEWER + "; taken when it is scheduled for later",
            verb="post.approved",
            section="385.3",
        ),
        Transition(
            name="request_changes",
            sources=frozenset({IN_REVIEW}),
            target=CHANGES_REQUESTED,
            actor=REVIEWER,
            verb="post.changes_requested",
            section="385.3",
        ),
        Transition(
            name="reject",
            sources=frozenset({IN_REVIEW}),
            target=REJECTED,
            actor=REVIEWER,
            verb="post.rejected",
            section="385.3",
        ),
        Transition(
            name="approve_by_guideline",
            sources=frozenset({DRAFT}),
            target=APPROVED,
            actor="its author, when it strictly conforms to one of the Chief's content guidelines",
            verb="post.conforms_to_guideline",
            section="385.3",
        ),
        Transition(
            name="publish",
            sources=frozenset({APPROVED, SCHEDULED}),
            target=PUBLISHED,
            actor=(
                "a member authorized and trained to post on every channel (385.3, 385.8); for an incident update, "
                "its compiler once the commander approves (385.4.1)"
            ),
            verb="post.published",
            section="385.3",
        ),
        Transition(
            name="remove_from_public_view",
            sources=frozenset({PUBLISHED}),
            target=REMOVED,
            actor="a supervisor, the Chief, the designee or the Social Media Officer",
            verb="post.removed_from_public_view",
            section="385.5",
        ),
        Transition(
            name="withdraw",
            sources=frozenset({DRAFT, IN_REVIEW, CHANGES_REQUESTED, APPROVED, SCHEDULED}),
            target=WITHDRAWN,
            actor="its author, the Social Media Officer, the Chief or the designee",
            verb="post.withdrawn",
            section=None,
        ),
    )
}

# What a reviewer decides on a post awaiting approval.
DECISIONS = ("approve", "approve_scheduled", "request_changes", "reject")

# Content may change for as long as the post may still be withdrawn; once it is published, rejected, removed or
# withdrawn, what it said is the record.
EDITABLE = TRANSITIONS["withdraw"].sources


def get(name: str) -> Transition:
    try:
        return TRANSITIONS[name]
    except KeyError:
        raise ValueError(f"No post transition is called {name!r}.") from None


def allows(post, name: str) -> bool:
    """Whether `post`'s current status is one the transition `name` may start from (who may make it is
    decided by the permissions)."""
    return post.status in get(name).sources


def awaiting_decision(post) -> bool:
    return all(allows(post, name) for name in DECISIONS)


def mermaid() -> str:
    """The state graph as a Mermaid `stateDiagram-v2`: one line per source, target and transition, sorted."""
    edges = sorted((source, t.target, t.name) for t in TRANSITIONS.values() for source in t.sources)
    lines = ["stateDiagram-v2", f"    [*] --> {INITIAL}"]
    lines += [f"    {source} --> {target} : {name}" for source, target, name in edges]
    return "\n".join(lines) + "\n"
