import pytest

from moderation.screening.rules import registry


@pytest.fixture(autouse=True)
def _fresh_registry_cache():
    # The in-process cache outlives a test's rolled-back transaction; start each test from nothing.
    registry._cache.update(key=None, terms=())


def rule_ids(text, kind="post", **context):
    from moderation.screening import screen

    return {f.rule_id for f in screen(text, kind=kind, context=context or None)}
