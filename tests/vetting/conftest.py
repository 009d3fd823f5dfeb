"""Vetting test data, built with the vetting services themselves."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from tests.factories import UserFactory
from vetting import services
from vetting.services import ATTESTATION, StepSpec

ALL_ATTESTED = [key for key, _text in ATTESTATION]


def _with_role(role, **kwargs):
    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def hr(db):
    return _with_role("Human Resources", username="hr")


@pytest.fixture
def designate(chief):
    def designate(member, days=365):
        return services.designate_searcher(
            actor=chief,
            member=member,
            valid_until=timezone.localdate() + timedelta(days=days),
            reason="Background investigations unit.",
        )

    return designate


@pytest.fixture
def searcher(db, designate):
    user = _with_role("Member", username="searcher")
    designate(user)
    return user


@pytest.fixture
def searcher2(db, designate):
    user = _with_role("Member", username="searcher2")
    designate(user)
    return user


@pytest.fixture
def process(hr, supervisor, searcher, searcher2):
    process = services.open_process(
        actor=hr,
        position="Police Officer Trainee",
        opens_on=timezone.localdate() - timedelta(days=10),
        closes_on=timezone.localdate() + timedelta(days=30),
        decision_makers=[supervisor],
        steps=[
            StepSpec("Facebook", "Candidate's full name and known aliases", "Last 7 years"),
            StepSpec("X (Twitter)", "Candidate's handle and full name", "Last 7 years"),
            StepSpec("News search", "Full name with city of residence", "Last 10 years"),
        ],
    )
    services.add_participant(actor=hr, process=process, member=searcher, part="searcher")
    services.add_participant(actor=hr, process=process, member=searcher2, part="searcher")
    return process


@pytest.fixture
def candidate(hr, process):
    return services.add_candidate(actor=hr, process=process, name="Riley Ramos", applicant_number="A-1001")


@pytest.fixture
def session(searcher, candidate):
    return services.start_session(actor=searcher, candidate=candidate, attested=ALL_ATTESTED)


def work_all_steps(actor, candidate):
    for step in candidate.process.steps.all():
        services.record_step(actor=actor, candidate=candidate, step=step, outcome="done")


def add_finding(actor, candidate, content, *, note="", step=None, capture=None):
    return services.record_finding(
        actor=actor,
        candidate=candidate,
        step=step or candidate.process.steps.get(number=1),
        source_url="https://social.example.com/riley.ramos/posts/1",
        seen_on=timezone.localdate(),
        content=content,
        note=note,
        capture=capture,
    )
