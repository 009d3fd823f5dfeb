import os

import pytest
from django.contrib.auth.models import Group

from tests.factories import ChannelFactory, UserFactory, trained

# In CI (SOCIALGOV_NO_SKIP=1) the environment provides PostgreSQL, Redis, a worker and Chromium:
# a test that would skip there fails instead, so a green run means everything ran.
NO_SKIP = os.environ.get("SOCIALGOV_NO_SKIP") == "1"


def skip_or_fail(reason: str):
    if NO_SKIP:
        pytest.fail(f"required in CI but unavailable: {reason}")
    pytest.skip(reason)


@pytest.fixture
def channel(db):
    return ChannelFactory(name="Department website", slug="news", kind="website")


@pytest.fixture
def other_channel(db):
    return ChannelFactory(name="Facebook page", slug="facebook", kind="facebook")


def _with_role(role, **kwargs):
    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def chief(db):
    return _with_role("Chief", username="chief")


@pytest.fixture
def designee(db):
    return _with_role("Designee", username="designee")


@pytest.fixture
def supervisor(db):
    return _with_role("Supervisor", username="supervisor")


@pytest.fixture
def smo(db, chief):
    return trained(_with_role("Social Media Officer", username="smo"), by=chief)


@pytest.fixture
def team(db, chief):
    return trained(_with_role("Team Member", username="team"), by=chief)


@pytest.fixture
def member(db):
    return _with_role("Member", username="member")
