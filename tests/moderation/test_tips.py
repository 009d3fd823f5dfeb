"""Tips to investigators (385.5.3(c)) about investigative requests (385.4(c)): sent from the website, kept with nothing
of an anonymous sender, screened for threats, read only by investigators and supervisors (every reading audited),
kept as confidential records and left out of public releases."""

import re

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core import mail
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.test import Client
from freezegun import freeze_time

from core.errors import PermissionRefused
from core.models import AuditEvent
from moderation import tips
from moderation.models import Tip, TipSettings
from posts.models import Comment, Publication
from retention.exports.services import export_records_queryset, start_export
from retention.models import ClassificationRule, Export, Record, RecordSeries, RetentionSchedule
from tests.factories import UserFactory
from tests.posts.factories import draft

pytestmark = [pytest.mark.django_db, pytest.mark.policy("385.5.3(c)", "385.4(c)")]

ADDRESS = "203.0.113.77"
REFERENCE = re.compile(r"T-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}")
TIP_TEXT = "The silver sedan was parked behind the laundromat every night last week, always after ten."
REFUSAL = "Tips are read only by investigators and supervisors."


@pytest.fixture
def investigator(db):
    user = UserFactory(username="investigator")
    user.groups.add(Group.objects.get(name="Investigator"))
    return user


def page_of(post) -> str:
    return Publication.objects.get(post=post, channel__kind="website").url.split("8000")[-1]


def tip_url(post) -> str:
    return f"{page_of(post)}tip/"


def send(url, *, address=ADDRESS, capture=None, **fields):
    data = {"text": TIP_TEXT, "anonymous": "on", **fields}
    if data["anonymous"] is None:
        del data["anonymous"]
    client = Client(REMOTE_ADDR=address)
    if capture is None:
        return client.post(url, data)
    with capture(execute=True):
        return client.post(url, data)


def every_stored_value() -> str:
    """Every value of every row of every table, as one text: what a copy of the database would give away."""
    parts = []
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names from the models
            parts.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(parts)


# Sending a tip ----------------------------------------------------------------------------------------------


def test_the_tip_form_says_call_911_and_is_anonymous_by_default(live):
    post = live()
    response = Client().get(tip_url(post))
    html = response.content.decode()
    assert response.status_code == 200
    assert "For emergencies call 911." in html
    assert re.search(r'<input type="checkbox" name="anonymous"[^>]*checked', html)
    for label in ("What you know", "Send anonymously", "Your name (optional)", "Phone or e-mail (optional)"):
        assert f">{label}" in html
    assert 'name="csrfmiddlewaretoken"' in html and "<script" not in html
    assert "no-store" in response["Cache-Control"]


def test_an_anonymous_tip_keeps_no_name_contact_or_address(live, django_capture_on_commit_callbacks):
    post = live()
    response = send(tip_url(post), name="Jane Roe", contact="760-555-0142", capture=django_capture_on_commit_callbacks)
    html = response.content.decode()
    assert response.status_code == 200
    tip = Tip.objects.get()
    assert tip.reference in html and "What happens next" in html and "For emergencies call 911." in html
    assert tip.anonymous and tip.name == "" and tip.contact == ""
    assert tip.text == TIP_TEXT and tip.post == post
    row = {f.attname: getattr(tip, f.attname) for f in Tip._meta.concrete_fields}
    assert set(row) == {
        "id", "reference", "post_id", "text", "anonymous", "name", "contact", "created_at", "status", "read_at",
        "read_by_id", "closed_at", "closed_by_id", "close_reason", "findings", "threat",
    }  # fmt: skip
    assert ADDRESS not in repr(row)
    stored = every_stored_value()
    # Nowhere: not in the tip, its record, the audit trail, a notification, a session, a history table.
    assert ADDRESS not in stored and "Jane Roe" not in stored and "760-555-0142" not in stored
    assert tips.rate_key(ADDRESS) not in stored
    record = Record.objects.get(kind="tip")
    received = AuditEvent.objects.get(verb="tip.received", object_id=str(tip.pk))
    captured = AuditEvent.objects.get(verb="record.captured", object_id=str(record.pk))
    assert received.ip is None and captured.ip is None


def test_the_database_refuses_an_anonymous_tip_with_a_name(live):
    """The constraint holds whatever path writes the row, not only the service."""
    with pytest.raises(IntegrityError), transaction.atomic():
        Tip.objects.create(reference="T-TEST-0001", text=TIP_TEXT, anonymous=True, name="Jane Roe")
    assert not Tip.objects.exists()


def test_a_named_tip_keeps_the_name_and_contact_but_no_address(live):
    post = live()
    response = send(tip_url(post), anonymous=None, name="Jane Roe", contact="jane@example.com")
    assert response.status_code == 200
    tip = Tip.objects.get()
    assert not tip.anonymous and tip.name == "Jane Roe" and tip.contact == "jane@example.com"
    assert "An investigator may contact you" in response.content.decode()
    stored = every_stored_value()
    assert ADDRESS not in stored and tips.rate_key(ADDRESS) not in stored


def test_a_tip_without_a_name_or_contact_is_anonymous(live):
    send(tip_url(live()), anonymous=None)
    assert Tip.objects.get().anonymous


def test_the_reference_is_short_unguessable_and_shown(live):
    post = live()
    first = send(tip_url(post)).content.decode()
    second = send(tip_url(post), address="198.51.100.9").content.decode()
    references = list(Tip.objects.order_by("pk").values_list("reference", flat=True))
    assert all(REFERENCE.fullmatch(r) for r in references) and references[0] != references[1]
    assert references[0] in first and references[1] in second and references[0] not in second


def test_a_tip_needs_a_csrf_token(live):
    post = live()
    response = Client(enforce_csrf_checks=True).post(tip_url(post), {"text": TIP_TEXT})
    assert response.status_code == 403 and not Tip.objects.exists()


def test_an_empty_tip_is_refused_on_its_field(live):
    response = send(tip_url(live()), text="   ")
    assert response.status_code == 400 and not Tip.objects.exists()
    assert "This field is required." in response.content.decode()


def test_only_a_published_investigative_request_takes_tips(live, author, channel):
    announcement = live(title="National Night Out", body="Join us at Miles Avenue Park.", category="announcement")
    assert Client().get(tip_url(announcement)).status_code == 404
    assert send(tip_url(announcement)).status_code == 404
    unpublished = draft(author, [channel], category="investigative_request")
    assert Client().get(f"/news/{unpublished.pk}-x/tip/").status_code == 404
    assert not Tip.objects.exists()


def test_an_investigative_requests_page_offers_the_tip_form_in_both_languages(live):
    post = live()
    english = Client().get(page_of(post)).content.decode()
    assert f'href="{tip_url(post)}"' in english and "Send a tip" in english and "call 911" in english
    spanish = Client().get(f"/es{page_of(post)}").content.decode()
    assert "Enviar un aviso" in spanish and "llame al 911" in spanish
    announcement = live(title="National Night Out", body="Join us at Miles Avenue Park.", category="announcement")
    assert "Send a tip" not in Client().get(page_of(announcement)).content.decode()


# The rate limit -----------------------------------------------------------------------------------------------


def test_the_rate_limit_counts_a_keyed_hash_that_changes_daily(live):
    post = live()
    with freeze_time("2026-03-02 18:00:00"):
        for _ in range(tips.TIPS_PER_DAY):
            assert send(tip_url(post)).status_code == 200
        refused = send(tip_url(post))
        assert refused.status_code == 400 and "several tips today" in refused.content.decode()
        assert send(tip_url(post), address="198.51.100.9").status_code == 200  # another sender is not held back
        monday = tips.rate_key(ADDRESS)
        assert cache.get(f"tip-rate:{monday}") == tips.TIPS_PER_DAY + 1
        assert ADDRESS not in monday and len(monday) == 64
    assert Tip.objects.count() == tips.TIPS_PER_DAY + 1
    with freeze_time("2026-03-03 18:00:00"):
        tuesday = tips.rate_key(ADDRESS)
        assert tuesday != monday
        assert send(tip_url(post)).status_code == 200
    # The day's random part lives only in the cache: once it is gone, Monday's hash cannot be computed again.
    cache.delete("tip-rate-salt:2026-03-02")
    with freeze_time("2026-03-02 18:00:00"):
        assert tips.rate_key(ADDRESS) != monday
    assert monday not in every_stored_value() and tuesday not in every_stored_value()


# Screening ---------------------------------------------------------------------------------------------------


def test_a_threat_in_a_tip_alerts_without_the_tip_in_the_mail(
    live, smo, supervisor, investigator, signed_in, django_capture_on_commit_callbacks
):
    post = live()
    mail.outbox.clear()
    words = "I am going to shoot the officers at the station tomorrow"
    send(tip_url(post), text=words, capture=django_capture_on_commit_callbacks)
    tip = Tip.objects.get()
    assert tip.threat and any(f["rule_id"] == "comment.threat" for f in tip.findings)
    alerts = [m for m in mail.outbox if m.subject.startswith("THREAT")]
    assert sorted(m.to[0] for m in alerts) == sorted(u.email for u in (smo, supervisor, investigator))
    assert all(tip.reference in m.subject and words not in m.body for m in alerts)
    assert AuditEvent.objects.filter(verb="tip.threat_alert", object_id=str(tip.pk)).exists()
    assert "Possible threat" in signed_in(investigator).get(f"/tips/{tip.reference}/").content.decode()


def test_a_tip_without_a_threat_alerts_nobody(live, smo, supervisor, django_capture_on_commit_callbacks):
    post = live()
    mail.outbox.clear()
    send(tip_url(post), capture=django_capture_on_commit_callbacks)
    assert not Tip.objects.get().threat
    assert not [m for m in mail.outbox if m.subject.startswith("THREAT")]


# Never public --------------------------------------------------------------------------------------------------


def test_a_tip_never_appears_on_the_post_page_nor_among_the_comments(live, signed_in, smo):
    post = live()
    send(tip_url(post))
    assert not Comment.objects.exists()
    assert TIP_TEXT not in Client().get(page_of(post)).content.decode()
    assert TIP_TEXT not in Client().get("/news/feed/rss/").content.decode()
    assert TIP_TEXT not in signed_in(smo).get("/monitoring/?state=all").content.decode()


# The queue -----------------------------------------------------------------------------------------------------


@pytest.fixture
def a_tip(live):
    send(tip_url(live()))
    return Tip.objects.get()


@pytest.mark.parametrize("who", ["member", "team", "smo", "chief", "anonymous"])
def test_the_queue_and_a_tip_are_refused_to_everyone_else_with_the_reason(request, who, a_tip, signed_in):
    client = Client() if who == "anonymous" else signed_in(request.getfixturevalue(who))
    for url in ("/tips/", f"/tips/{a_tip.reference}/", "/tips/T-0000-0000/"):
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 403, url
        assert REFUSAL in html and "385.5.3(c)" in html and TIP_TEXT not in html
    closing = client.post(f"/tips/{a_tip.reference}/", {"action": "close", "reason": "Nothing to it"})
    assert closing.status_code == 403
    a_tip.refresh_from_db()
    assert a_tip.status == Tip.Status.NEW and a_tip.close_reason == ""
    assert not AuditEvent.objects.filter(verb__startswith="tip.").exclude(verb="tip.received").exists()


@pytest.mark.parametrize("who", ["investigator", "supervisor"])
def test_investigators_and_supervisors_read_tips_and_every_reading_is_audited(request, who, a_tip, signed_in):
    reader = request.getfixturevalue(who)
    client = signed_in(reader)
    queue = client.get("/tips/")
    assert queue.status_code == 200
    assert a_tip.reference in queue.content.decode() and TIP_TEXT not in queue.content.decode()
    listed = AuditEvent.objects.get(verb="tip.queue_viewed")
    assert listed.actor == reader and listed.details["references"] == [a_tip.reference]

    page = client.get(f"/tips/{a_tip.reference.lower()}/")
    assert page.status_code == 200 and TIP_TEXT in page.content.decode()
    viewed = AuditEvent.objects.get(verb="tip.viewed")
    assert viewed.actor == reader and viewed.object_id == str(a_tip.pk)
    client.get(f"/tips/{a_tip.reference}/")
    assert AuditEvent.objects.filter(verb="tip.viewed", actor=reader).count() == 2
    assert client.get("/tips/T-0000-0000/").status_code == 404
    # The trail says who read which tip, never what it says.
    for event in AuditEvent.objects.filter(verb__startswith="tip."):
        assert "silver sedan" not in f"{event.object_repr} {event.details}"


def test_a_tip_is_marked_read_and_closed_with_a_reason(a_tip, investigator, signed_in):
    client = signed_in(investigator)
    url = f"/tips/{a_tip.reference}/"
    assert client.post(url, {"action": "read"}).status_code == 302
    a_tip.refresh_from_db()
    assert a_tip.status == Tip.Status.READ and a_tip.read_by == investigator
    again = client.post(url, {"action": "read"})
    assert again.status_code == 200 and "This tip is already read." in again.content.decode()
    missing = client.post(url, {"action": "close", "reason": ""})
    assert missing.status_code == 400
    a_tip.refresh_from_db()
    assert a_tip.status == Tip.Status.READ
    assert client.post(url, {"action": "close", "reason": "Passed to case 26-00412"}).status_code == 302
    a_tip.refresh_from_db()
    assert a_tip.status == Tip.Status.CLOSED and a_tip.close_reason == "Passed to case 26-00412"
    assert a_tip.closed_by == investigator and a_tip.closed_at
    verbs = list(
        AuditEvent.objects.filter(object_id=str(a_tip.pk), verb__in=["tip.read", "tip.closed"]).values_list(
            "verb", flat=True
        )
    )
    assert sorted(verbs) == ["tip.closed", "tip.read"]
    assert "26-00412" not in repr(AuditEvent.objects.get(verb="tip.closed").details)


def test_the_tip_link_shows_for_those_it_is_for(a_tip, investigator, member, chief, signed_in):
    assert 'href="/tips/">Tips<' in signed_in(investigator).get("/").content.decode()
    assert 'href="/tips/settings/">Tips<' in signed_in(chief).get("/").content.decode()
    assert ">Tips<" not in signed_in(member).get("/").content.decode()


# The general tip page ------------------------------------------------------------------------------------------


def test_the_general_tip_page_is_off_until_the_chief_switches_it_on(chief, supervisor, signed_in):
    closed = Client().get("/news/tip/")
    assert closed.status_code == 404 and "For emergencies call 911." in closed.content.decode()
    assert send("/news/tip/").status_code == 404 and not Tip.objects.exists()

    refused = signed_in(supervisor).post("/tips/settings/", {"general_tips_open": "on"})
    assert refused.status_code == 403 and "385.5.3(c)" in refused.content.decode()
    assert not TipSettings.load().general_tips_open

    assert signed_in(chief).post("/tips/settings/", {"general_tips_open": "on"}).status_code == 302
    assert TipSettings.load().general_tips_open
    event = AuditEvent.objects.get(verb="tip_settings.changed")
    assert event.actor == chief and event.details == {"general_tips_open": True, "was": False}

    page = Client().get("/news/tip/")
    assert page.status_code == 200 and "Report a non-emergency" in page.content.decode()
    assert "For emergencies call 911." in page.content.decode()
    assert send("/news/tip/").status_code == 200
    assert Tip.objects.get().post is None


def test_only_the_chief_or_designee_switches_the_general_page(supervisor, designee):
    with pytest.raises(PermissionRefused) as refusal:
        tips.set_general_tips(actor=supervisor, general_tips_open=True)
    assert refusal.value.section == "385.5.3(c)"
    assert tips.set_general_tips(actor=designee, general_tips_open=True).general_tips_open


# Records -----------------------------------------------------------------------------------------------------


@pytest.fixture
def tip_series(custodian):
    series = RecordSeries.objects.create(code="TIP-385.5.3", title="Tips to investigators (confidential)")
    RetentionSchedule.objects.create(
        series=series,
        version=1,
        period=5,
        unit="years",
        trigger="publication",
        action="destroy",
        citation="Investigative leads",
        approved_by=custodian,
    )
    ClassificationRule.objects.create(position=1, kind="tip", series=series, created_by=custodian)
    return series


def test_a_tip_is_kept_as_a_record_of_its_own_kind_under_its_series(live, tip_series):
    post = live()
    send(tip_url(post), anonymous=None, name="Jane Roe", contact="jane@example.com")
    tip = Tip.objects.get()
    record = Record.objects.get(source_type="moderation.tip", source_id=tip.pk)
    assert record.kind == "tip" and record.series == tip_series and record.channel_slugs == []
    assert record.text == TIP_TEXT and record.title == f"Tip {tip.reference}"
    assert record.content["name"] == "Jane Roe" and record.content["post_id"] == post.pk


def test_a_public_release_leaves_tips_out_unless_the_custodian_picks_them(live, custodian):
    post = live()
    send(tip_url(post))
    tip_record = Record.objects.get(kind="tip")
    post_record = Record.objects.get(source_type="posts.post", source_id=post.pk)

    public = start_export(actor=custodian, purpose="public", reason="PRR-2026-0101", query={}, enqueue=False)
    assert list(export_records_queryset(public)) == [post_record] and public.total == 1

    ediscovery = start_export(actor=custodian, purpose="ediscovery", reason="Subpoena", query={}, enqueue=False)
    assert set(export_records_queryset(ediscovery)) == {post_record, tip_record}

    picked = start_export(
        actor=custodian, purpose="public", reason="Released by order", record_ids=[tip_record.pk], enqueue=False
    )
    assert list(export_records_queryset(picked)) == [tip_record]
    assert Export.objects.count() == 3


def test_the_admin_lists_tips_without_their_words_or_sender(live, signed_in, django_user_model):
    send(tip_url(live()), anonymous=None, name="Jane Roe", contact="jane@example.com")
    tip = Tip.objects.get()
    admin = signed_in(django_user_model.objects.create_superuser("root", "root@police.example.gov", "x" * 16))
    for url in ("/admin/moderation/tip/", f"/admin/moderation/tip/{tip.pk}/change/"):
        html = admin.get(url).content.decode()
        assert tip.reference in html, url
        assert TIP_TEXT not in html and "Jane Roe" not in html and "jane@example.com" not in html
