"""Training compliance (385.8): the page and its CSV by member and required topic, who may open them, the members
whose posting lapsed training suspends, and the reminders sent 30 and 7 days before a record runs out."""

import csv
import io
import re
import threading
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from freezegun import freeze_time

from core.models import AuditEvent, Notification
from members.accounts import add_member
from members.models import TrainingTopic
from members.permissions import training_reasons
from members.services import disable_member, grant_authorization, record_training
from oversight.models import TrainingReminder
from oversight.training import (
    compliance_rows,
    reminder_due,
    send_training_reminders,
    suspended_by_training,
    suspended_by_training_count,
)
from oversight.training_tasks import send_training_reminders_task
from tests.conftest import skip_or_fail
from tests.factories import trained

pytestmark = [pytest.mark.django_db, pytest.mark.policy("385.8")]
ALL = list(TrainingTopic.values)
WITHOUT_RETENTION = [t for t in ALL if t != TrainingTopic.RETENTION]
WITHOUT_PRIVACY = [t for t in ALL if t != TrainingTopic.PRIVACY]


def person(chief, username, *, roles=("Member",), supervisor=None, first_name=None):
    return add_member(
        actor=chief,
        username=username,
        first_name=first_name or username.title(),
        last_name="Tester",
        email=f"{username}@police.example.gov",
        badge_number=f"T-{username}",
        supervisor=supervisor,
        roles=list(roles),
    )


def train(chief, member, *, completed_ago, valid_days, topics=ALL, course="Social Media for Law Enforcement"):
    today = timezone.localdate()
    completed = today - timedelta(days=completed_ago)
    return record_training(
        actor=chief,
        member=member,
        course=course,
        topics=list(topics),
        completed_on=completed,
        expires_on=completed + timedelta(days=valid_days),
    )


def authorized_then_lapsed(chief, username, *, renew=None):
    """A member authorized to post a year and more ago on training that has since run out (35 days ago); with
    `renew`, later training that covers only those topics."""
    with freeze_time(timezone.now() - timedelta(days=400)):
        user = person(chief, username)
        first = train(chief, user, completed_ago=0, valid_days=365)
        grant_authorization(actor=chief, member=user, all_channels=True)
    renewal = train(chief, user, completed_ago=10, valid_days=365, topics=renew, course="Refresher") if renew else None
    return user, first, renewal


@pytest.fixture
def department(chief, author):
    """One member of each kind the page tells apart."""
    lapsed, old, renewal = authorized_then_lapsed(chief, "lapsed", renew=WITHOUT_RETENTION)
    expiring = person(chief, "expiring")
    soon = train(chief, expiring, completed_ago=350, valid_days=365)  # runs out in 15 days
    grant_authorization(actor=chief, member=expiring, all_channels=True)
    untrained = person(chief, "untrained", roles=["Team Member"])
    partial = train(chief, untrained, completed_ago=5, valid_days=365, topics=WITHOUT_PRIVACY)
    return {
        "lapsed": (lapsed, old, renewal),
        "expiring": (expiring, soon),
        "untrained": (untrained, partial),
        "ok": author,
    }


def _rows(html):
    """{username: (suspended, {topic: status})} from the page's table, in page order."""
    rows = {}
    for username, suspended, cells in re.findall(
        r'<tr id="member-([\w.@+-]+)" data-suspended="(yes|no)">(.*?)</tr>', html, flags=re.S
    ):
        rows[username] = (suspended == "yes", dict(re.findall(r'data-topic="(\w+)" data-status="(\w+)"', cells)))
    return rows


# The page ---------------------------------------------------------------------------------------------------


def test_the_page_shows_each_topic_lapsed_expiring_or_ok_and_who_is_suspended(signed_in, chief, department):
    response = signed_in(chief).get("/oversight/training/")
    assert response.status_code == 200
    html = response.content.decode()
    rows = _rows(html)

    assert list(rows) == ["lapsed", "untrained", "expiring", "smo"], "problems first"
    assert "member" not in rows and "chief" not in rows, "only authorized members and posting roles are followed"

    suspended, lapsed = rows["lapsed"]
    assert suspended
    assert lapsed == {t: ("lapsed" if t == TrainingTopic.RETENTION else "ok") for t in ALL}
    suspended, untrained = rows["untrained"]
    assert not suspended, "not authorized, so there is nothing to suspend"
    assert untrained == {t: ("missing" if t == TrainingTopic.PRIVACY else "ok") for t in ALL}
    assert rows["expiring"] == (False, {t: "expiring" for t in ALL})
    assert rows["smo"] == (False, {t: "ok" for t in ALL})

    lapsed_row = html.split('id="member-lapsed"', 1)[1].split("</tr>", 1)[0]
    _, old, renewal = department["lapsed"]
    retention_cell = lapsed_row.split('data-topic="retention"', 1)[1].split("</td>", 1)[0]
    assert "Lapsed" in retention_cell and f"expired {old.expires_on:%Y-%m-%d}" in retention_cell
    assert f"record #{old.pk}" in retention_cell
    assert f"record #{renewal.pk}" in lapsed_row.split('data-topic="legal"', 1)[1].split("</td>", 1)[0]
    assert "Suspended" in lapsed_row and '<span class="section">385.8</span>' in lapsed_row
    assert "Expiring</span> in 15 days" in html
    assert "Missing" in html and "OK" in html

    # Accessible: the section in the heading, a captioned table with header scopes, words besides colour.
    assert re.search(r"<h1>Training compliance <span class=\"section\">385\.8</span></h1>", html)
    assert "<caption" in html and '<th scope="col">Privacy</th>' in html and '<th scope="row">' in html
    assert 'class="table-scroll" role="region"' in html
    assert 'href="/oversight/training/csv/"' in html


def test_the_page_and_the_posting_decision_agree_on_who_lapsed(chief, department):
    for row in compliance_rows():
        assert row.has_problem == bool(training_reasons(row.user)), row.user.username


def test_a_supervisor_sees_everyone_and_may_narrow_to_their_people(signed_in, chief, supervisor, author):
    mine = person(chief, "mine", roles=["Team Member"], supervisor=supervisor)
    trained(mine, by=chief)
    client = signed_in(supervisor)
    assert set(_rows(client.get("/oversight/training/").content.decode())) == {"mine", "smo"}
    narrowed = client.get("/oversight/training/?people=mine").content.decode()
    assert set(_rows(narrowed)) == {"mine"}
    assert 'href="/oversight/training/csv/?people=mine"' in narrowed
    rows = list(csv.reader(io.StringIO(client.get("/oversight/training/csv/?people=mine").content.decode())))
    assert {r[0] for r in rows[1:]} == {"mine"}


# The CSV ----------------------------------------------------------------------------------------------------


def test_the_csv_has_one_row_per_member_and_topic(signed_in, chief, department):
    response = signed_in(chief).get("/oversight/training/csv/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="training-compliance-')
    header, *rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert header == [
        "member",
        "name",
        "topic",
        "covered by record",
        "completed on",
        "expires on",
        "status",
        "posting suspended",
    ]
    assert len(rows) == 4 * len(ALL)
    by_key = {(r[0], r[2]): r for r in rows}
    _, old, renewal = department["lapsed"]
    assert by_key[("lapsed", TrainingTopic.RETENTION.label)] == [
        "lapsed",
        "Lapsed Tester",
        TrainingTopic.RETENTION.label,
        str(old.pk),
        old.completed_on.isoformat(),
        old.expires_on.isoformat(),
        "lapsed",
        "yes",
    ]
    assert by_key[("lapsed", TrainingTopic.LEGAL.label)][3:] == [
        str(renewal.pk),
        renewal.completed_on.isoformat(),
        renewal.expires_on.isoformat(),
        "ok",
        "yes",
    ]
    assert by_key[("untrained", TrainingTopic.PRIVACY.label)][3:] == ["", "", "", "missing", "no"]
    assert {r[6] for r in rows if r[0] == "expiring"} == {"expiring"}
    assert {r[6] for r in rows if r[0] == "smo"} == {"ok"}


def test_the_csv_keeps_a_name_a_spreadsheet_would_run_as_text(signed_in, chief):
    sly = person(chief, "sly", roles=["Team Member"], first_name='=HYPERLINK("http://evil.example","x")')
    trained(sly, by=chief)
    rows = list(csv.reader(io.StringIO(signed_in(chief).get("/oversight/training/csv/").content.decode())))
    names = {r[1] for r in rows[1:]}
    assert names == {'\'=HYPERLINK("http://evil.example","x") Tester'}


# Who may open them ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/oversight/training/", "/oversight/training/csv/"])
def test_a_member_is_refused_with_the_reason(signed_in, member, author, url):
    response = signed_in(member).get(url)
    assert response.status_code == 403
    html = response.content.decode()
    assert (
        "Training compliance is followed by the Chief of Police, the designee, supervisors and the annual reviewer."
        in html
    )
    assert '<strong class="section">385.8</strong>' in html
    assert "Training by member" not in html and 'id="member-smo"' not in html


def test_the_annual_reviewer_may_open_it(signed_in, chief, author):
    reviewer = person(chief, "reviewer", roles=["Annual Reviewer", "Supervisor"])
    assert signed_in(reviewer).get("/oversight/training/").status_code == 200


def test_signing_in_comes_first(client):
    response = client.get("/oversight/training/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# Suspended by training --------------------------------------------------------------------------------------


def test_suspended_by_training_lists_authorized_members_whose_training_lapsed(chief, department):
    lapsed, _, _ = department["lapsed"]
    never_authorized = person(chief, "former")
    train(chief, never_authorized, completed_ago=400, valid_days=365)  # lapsed, but was never authorized
    assert suspended_by_training() == [lapsed]
    assert suspended_by_training_count() == 1
    # The posting decision says the same of everyone authorized.
    expiring, _ = department["expiring"]
    assert training_reasons(lapsed) and not training_reasons(expiring) and not training_reasons(department["ok"])


def test_suspended_by_training_ends_with_renewal_of_the_lapsed_topic(chief, department):
    lapsed, _, _ = department["lapsed"]
    train(chief, lapsed, completed_ago=1, valid_days=365, topics=[TrainingTopic.RETENTION], course="Records")
    assert suspended_by_training() == []
    assert suspended_by_training_count() == 0


def test_suspended_by_training_leaves_out_revoked_authorizations(chief, department):
    from members.services import revoke_authorization

    lapsed, _, _ = department["lapsed"]
    revoke_authorization(actor=chief, authorization=lapsed.authorizations.get(), reason="Left the team")
    assert suspended_by_training() == []


# Query counts -----------------------------------------------------------------------------------------------


def _authorized_members(chief, start, count):
    """Authorized members, every third one on training that runs out within 30 days."""
    for n in range(start, start + count):
        user = person(chief, f"officer{n:02d}")
        if n % 3:
            trained(user, by=chief)
        else:
            trained(user, by=chief, days_ago=20, valid_days=30)
        grant_authorization(actor=chief, member=user, all_channels=True)


def test_the_selectors_and_the_page_issue_a_fixed_number_of_queries(
    signed_in, chief, author, django_assert_num_queries, django_assert_max_num_queries
):
    _authorized_members(chief, 0, 3)
    client = signed_in(chief)
    client.get("/oversight/training/")  # the first request of a session also touches the session and device rows

    def page_queries():
        with django_assert_max_num_queries(40) as ctx:
            assert client.get("/oversight/training/").status_code == 200
        return len(ctx.captured_queries)

    small = page_queries()
    _authorized_members(chief, 3, 27)
    assert page_queries() == small

    # users, their groups, their open authorizations, their training records
    with django_assert_num_queries(4):
        rows = compliance_rows()
        # Everything the page and the CSV read is already loaded.
        seen = [(row.name, row.roles, row.suspended, [c.record.course for c in row.topics if c.record]) for row in rows]
    assert len(rows) == len(seen) == 31
    # users with an authorization in force, their training records
    with django_assert_num_queries(2):
        assert suspended_by_training() == []


# Reminders --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("days_left", "due"), [(31, None), (30, 30), (8, 30), (7, 7), (1, 7), (0, 7), (-1, None)])
def test_the_reminder_due_is_the_smallest_threshold_not_yet_passed(days_left, due):
    assert reminder_due(days_left) == due


@pytest.fixture
def alex(chief, supervisor):
    """A member with a supervisor and training that runs out in 60 days."""
    alex = person(chief, "alex", supervisor=supervisor)
    record = train(chief, alex, completed_ago=300, valid_days=360)
    return alex, record


def _sent(event=None):
    rows = Notification.objects.filter(event__startswith="training.")
    if event:
        rows = rows.filter(event=event)
    return sorted((n.event, n.recipient.username) for n in rows)


def test_30_and_7_day_reminders_go_once_each_to_the_member_and_the_supervisor(alex):
    member, record = alex
    today = timezone.localdate()
    assert send_training_reminders(today=today) == 0
    assert send_training_reminders(today=today + timedelta(days=29)) == 0  # 31 days left

    assert send_training_reminders(today=today + timedelta(days=30)) == 1
    assert _sent() == [("training.expiring_30", "alex"), ("training.expiring_30", "supervisor")]
    mail = Notification.objects.get(event="training.expiring_30", recipient=member)
    assert "385.8" in mail.subject and f"{record.expires_on:%Y-%m-%d}" in mail.subject and "in 30 days" in mail.subject
    assert "legal issues" in mail.body and "retention" in mail.body and mail.url == "/members/alex/"
    to_supervisor = Notification.objects.get(event="training.expiring_30", recipient__username="supervisor")
    assert to_supervisor.subject.startswith("Alex Tester's social media training") and to_supervisor.url == (
        "/oversight/training/"
    )

    # Again the same day, and on later days before the 7-day mark: nothing more.
    assert send_training_reminders(today=today + timedelta(days=30)) == 0
    assert send_training_reminders(today=today + timedelta(days=45)) == 0
    assert len(_sent()) == 2

    assert send_training_reminders(today=today + timedelta(days=53)) == 1  # 7 days left
    assert send_training_reminders(today=today + timedelta(days=53)) == 0
    assert send_training_reminders(today=today + timedelta(days=60)) == 0  # the last valid day
    assert send_training_reminders(today=today + timedelta(days=61)) == 0  # lapsed: no "before expiry" reminder
    assert _sent() == [
        ("training.expiring_30", "alex"),
        ("training.expiring_30", "supervisor"),
        ("training.expiring_7", "alex"),
        ("training.expiring_7", "supervisor"),
    ]
    assert sorted(TrainingReminder.objects.values_list("record_id", "threshold")) == [(record.pk, 7), (record.pk, 30)]
    runs = AuditEvent.objects.filter(verb="training.reminders_sent").order_by("seq")
    assert [(e.details["expiring_30"], e.details["expiring_7"], e.details["notifications"]) for e in runs] == [
        (1, 0, 2),
        (0, 1, 2),
    ]


def test_the_task_run_twice_sends_once(chief, supervisor):
    member = person(chief, "twice", supervisor=supervisor)
    train(chief, member, completed_ago=335, valid_days=365)  # 30 days left today
    assert send_training_reminders_task.delay().get() == 1
    assert send_training_reminders_task.delay().get() == 0
    assert _sent() == [("training.expiring_30", "supervisor"), ("training.expiring_30", "twice")]


def test_a_missed_30_day_reminder_is_not_sent_late_once_the_7_day_one_is_due(alex):
    _, record = alex
    today = timezone.localdate()
    # The runs between 30 and 8 days out never happened: 5 days left.
    assert send_training_reminders(today=today + timedelta(days=55)) == 1
    assert _sent() == [("training.expiring_7", "alex"), ("training.expiring_7", "supervisor")]
    assert send_training_reminders(today=today + timedelta(days=56)) == 0
    assert not TrainingReminder.objects.filter(threshold=30).exists()
    mail = Notification.objects.get(event="training.expiring_7", recipient__username="alex")
    assert "in 5 days" in mail.subject


def test_a_late_run_still_in_the_30_day_window_catches_up(alex):
    today = timezone.localdate()
    assert send_training_reminders(today=today + timedelta(days=40)) == 1  # 20 days left, first run in the window
    assert _sent("training.expiring_30") == [("training.expiring_30", "alex"), ("training.expiring_30", "supervisor")]


def test_a_renewed_topic_is_not_reminded(chief, alex):
    member, old = alex
    today = timezone.localdate()
    renewal = train(chief, member, completed_ago=0, valid_days=365, course="Refresher")
    assert send_training_reminders(today=today + timedelta(days=30)) == 0
    assert send_training_reminders(today=today + timedelta(days=55)) == 0
    assert _sent() == []
    assert renewal.expires_on > old.expires_on


def test_a_record_still_last_for_one_topic_is_reminded_for_that_topic(chief, alex):
    member, old = alex
    today = timezone.localdate()
    train(chief, member, completed_ago=0, valid_days=365, topics=WITHOUT_RETENTION, course="Refresher")
    assert send_training_reminders(today=today + timedelta(days=30)) == 1
    assert TrainingReminder.objects.get().record == old
    mail = Notification.objects.get(event="training.expiring_30", recipient=member)
    assert "covers retention of information through" in mail.body
    assert "privacy" not in mail.body.split("through", 1)[0]


def test_a_disabled_member_is_not_reminded(chief, alex):
    member, _ = alex
    disable_member(actor=chief, member=member, reason="Retired")
    assert send_training_reminders(today=timezone.localdate() + timedelta(days=30)) == 0
    assert _sent() == [] and not TrainingReminder.objects.exists()
    assert not AuditEvent.objects.filter(verb="training.reminders_sent").exists()


def test_a_member_without_a_supervisor_is_reminded_alone(chief):
    solo = person(chief, "solo")
    train(chief, solo, completed_ago=358, valid_days=365)
    assert send_training_reminders() == 1
    assert _sent() == [("training.expiring_7", "solo")]


def test_the_database_refuses_a_second_reminder_for_the_same_record_and_threshold(alex):
    _, record = alex
    TrainingReminder.objects.create(record=record, threshold=30, sent_on=timezone.localdate())
    with pytest.raises(IntegrityError), transaction.atomic():
        TrainingReminder.objects.create(record=record, threshold=30, sent_on=timezone.localdate())
    with pytest.raises(IntegrityError), transaction.atomic():
        TrainingReminder.objects.create(record=record, threshold=14, sent_on=timezone.localdate())


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_each_reminder_once(chief, supervisor):
    if connection.vendor != "postgresql":
        skip_or_fail("two runs writing at once need PostgreSQL (SQLite has a single writer)")
    for n in range(20):
        member = person(chief, f"crowd{n:02d}", supervisor=supervisor)
        train(chief, member, completed_ago=335, valid_days=365)  # 30 days left today
    start = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            start.wait()
            results.append(send_training_reminders())
        except Exception as error:  # noqa: BLE001  (reported below, with the thread's error)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors and len(results) == 2
    assert sum(results) == 20
    assert TrainingReminder.objects.count() == 20
    assert Notification.objects.filter(event="training.expiring_30").count() == 40
