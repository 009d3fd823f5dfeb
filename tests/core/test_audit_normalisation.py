"""An untouched trail always verifies: every value is hashed as the database stores it (addresses, empty
strings, unicode, JSON), on PostgreSQL and on the embedded default."""

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from core.audit import normalize_ip, record_event, verify_chain
from core.models import AuditEvent

pytestmark = pytest.mark.django_db

addresses = st.one_of(
    st.just(""),
    st.none(),
    st.ip_addresses(v=4).map(str),
    st.ip_addresses(v=6).map(lambda a: a.exploded.upper()),  # uncompressed and upper-case, as a proxy may send
    st.ip_addresses(v=6).map(str),
    st.text(max_size=20),  # what a broken proxy or a Unix socket leaves in REMOTE_ADDR
)
texts = st.text(max_size=300)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ip=addresses, verb=texts, details=st.dictionaries(texts, st.one_of(texts, st.integers(), st.booleans())))
@example(ip="", verb="login.succeeded", details={})
@example(ip="2001:0DB8:0000:0000:0000:0000:0000:0001", verb="x", details={"b": 1, "a": "\x00é"})
@example(ip="fe80::1%eth0", verb="x\x00y", details={})
@example(ip="::ffff:c000:207", verb="x", details={})
@example(ip="::c000:207", verb="x", details={})
def test_an_untouched_trail_verifies_whatever_was_recorded(ip, verb, details):
    event = record_event("system", verb or "test.event", details=details, ip=ip)
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.ip == event.ip
    assert stored.details == event.details
    assert verify_chain().ok


def test_addresses_are_kept_as_the_database_keeps_them():
    assert normalize_ip("") is None
    assert normalize_ip("not an address") is None
    assert normalize_ip("2001:0DB8::0001") == "2001:db8::1"
    assert normalize_ip("fe80::1%eth0") == "fe80::1"
    assert normalize_ip(" 192.0.2.7 ") == "192.0.2.7"
    # IPv4 inside IPv6: mapped addresses are dotted everywhere; compatible ones only by PostgreSQL's inet.
    for vendor in ("sqlite", "postgresql"):
        assert normalize_ip("::ffff:c000:207", vendor=vendor) == "::ffff:192.0.2.7"
        assert normalize_ip("::2", vendor=vendor) == "::2"
        assert normalize_ip("::1:c000:207", vendor=vendor) == "::1:c000:207"
    assert normalize_ip("::c000:207", vendor="postgresql") == "::192.0.2.7"
    assert normalize_ip("::c000:207", vendor="sqlite") == "::c000:207"


def test_a_forced_login_over_a_unix_socket_leaves_a_trail_that_verifies(client, django_user_model):
    user = django_user_model.objects.create_user("officer", "officer@police.example.gov", "x" * 16)
    client.force_login(user)  # no REMOTE_ADDR at all
    client.get("/", REMOTE_ADDR="")
    assert AuditEvent.objects.filter(verb="login.succeeded").exists()
    call_command("verify_audit")
