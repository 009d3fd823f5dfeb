"""/oversight/ lists the parts of oversight a member may open, and the navigation shows it to those who oversee."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_chief_sees_every_part_and_a_member_only_the_coverage_matrix(chief, member, signed_in):
    page = signed_in(chief).get("/oversight/").content.decode()
    for link in ("/oversight/reviews/", "/oversight/training/", "/oversight/audit/", "/oversight/coverage/"):
        assert f'href="{link}"' in page
    assert 'href="/oversight/"' in page  # in the navigation

    page = signed_in(member).get("/oversight/").content.decode()
    assert 'href="/oversight/coverage/"' in page
    for link in ("/oversight/reviews/", "/oversight/training/", "/oversight/audit/"):
        assert f'href="{link}"' not in page
    assert 'href="/oversight/"' not in signed_in(member).get("/").content.decode()
