"""385.7 (a)-(q): content that is not substantive, or not kept to preserve its informational content, is transitory.
A transitory series names the policy's item; a record the custodian determines to be transitory under an item is
filed under that series and retained on its schedule; a substantive series can carry no item, and the database
refuses one that tries."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.errors import PermissionRefused
from core.models import AuditEvent
from moderation import services as review
from oversight.coverage import read_policy
from oversight.policy import SHIPPED_TEXT
from posts import services as posts
from retention import services as records
from retention.disposition import due_on, trigger_date
from retention.models import ClassificationRule, Determination, Record, RecordSeries, RetentionSchedule
from tests.posts.factories import draft

pytestmark = pytest.mark.django_db

Transitory = RecordSeries.Transitory
ITEMS = tuple(f"385.7({letter})" for letter in Transitory.values)


def transitory_series(item: str, custodian) -> RecordSeries:
    series = RecordSeries(
        code=f"TR-{item.upper()}", title="Transitory content", substantive=False, transitory_item=item
    )
    series.full_clean()
    series.save()
    RetentionSchedule.objects.create(
        series=series,
        version=1,
        period=90,
        unit="days",
        trigger="publication",
        action="destroy",
        citation=f"City-wide standard CW-026; policy 385.7({item})",
        approved_by=custodian,
    )
    return series


@pytest.fixture
def unfiled(author, channel, supervisor, django_capture_on_commit_callbacks):
    """A post published through the real services and captured with no classification rule: it waits for the
    custodian's determination."""

    def publish(title="Thank you, Indio"):
        post = draft(
            author, [channel], title=title, body="Thank you to everyone who came out to the pancake breakfast."
        )
        review.submit_for_review(actor=author, post=post)
        review.approve_post(actor=supervisor, post=post)
        with django_capture_on_commit_callbacks(execute=True):
            posts.publish_post(actor=author, post=post)
        return Record.objects.get(source_type="posts.post", source_id=post.pk)

    return publish


@pytest.mark.policy(
    "385.7",
    "385.7(a)", "385.7(b)", "385.7(c)", "385.7(d)", "385.7(e)", "385.7(f)", "385.7(g)", "385.7(h)", "385.7(i)",
    "385.7(j)", "385.7(k)", "385.7(l)", "385.7(m)", "385.7(n)", "385.7(o)", "385.7(p)", "385.7(q)",
)  # fmt: skip
def test_the_transitory_items_are_the_policys_a_to_q():
    policy = [c for c in read_policy(SHIPPED_TEXT) if c.parent == "385.7"]
    assert [c.id for c in policy] == list(ITEMS)
    for (value, label), clause in zip(Transitory.choices, policy, strict=True):
        assert label.startswith(f"({value}) ")
        # The label is the item in the policy's words (tidied): it shares a word with the text.
        words = set(label.lower().replace(",", " ").split()[1:])
        assert words & set(clause.text.lower().replace(",", " ").split()), (label, clause.text)


@pytest.mark.policy(
    "385.7",
    "385.7(a)", "385.7(b)", "385.7(c)", "385.7(d)", "385.7(e)", "385.7(f)", "385.7(g)", "385.7(h)", "385.7(i)",
    "385.7(j)", "385.7(k)", "385.7(l)", "385.7(m)", "385.7(n)", "385.7(o)", "385.7(p)", "385.7(q)",
)  # fmt: skip
@pytest.mark.parametrize("item", Transitory.values)
def test_a_record_determined_transitory_under_an_item_is_filed_with_that_item(item, unfiled, custodian, signed_in):
    series = transitory_series(item, custodian)
    record = unfiled()
    assert record.series is None and due_on(record) is None  # nothing is due before it is filed

    decision = records.determine_series(
        actor=custodian, record=record, series=series, city_attorney_consulted=True, note=f"385.7({item})"
    )
    record.refresh_from_db()
    assert decision.series == series and decision.decided_by == custodian and decision.city_attorney_consulted
    assert record.series == series and not record.series.substantive
    assert record.series.transitory_item == item
    assert record.schedule == series.current_schedule()
    assert due_on(record) == trigger_date(record, record.schedule) + timedelta(days=90)
    event = AuditEvent.objects.filter(verb="record.determined").latest("pk")
    assert event.details["series"] == series.code

    page = signed_in(custodian).get("/records/schedules/").content.decode()
    assert f"{series.code} Transitory content — transitory {Transitory(item).label}" in page


@pytest.mark.policy("385.7(c)")
def test_a_determination_made_a_rule_files_the_next_posting_as_transitory(unfiled, custodian):
    series = transitory_series(Transitory.C, custodian)
    first = unfiled("Pancake breakfast")
    records.determine_series(
        actor=custodian, record=first, series=series, city_attorney_consulted=False, note="Routine", make_rule=True
    )
    assert ClassificationRule.objects.filter(series=series, kind="post").exists()
    second = unfiled("Thank you again")
    assert second.series == series and second.series.transitory_item == Transitory.C
    assert not Determination.objects.filter(record=second).exists()  # filed by the rule, nobody had to decide


@pytest.mark.policy("385.7")
def test_only_the_records_custodian_determines_and_a_refusal_files_nothing(unfiled, custodian, supervisor):
    series = transitory_series(Transitory.L, custodian)
    record = unfiled()
    with pytest.raises(PermissionRefused):
        records.determine_series(actor=supervisor, record=record, series=series, city_attorney_consulted=False)
    record.refresh_from_db()
    assert record.series is None and not Determination.objects.exists()


@pytest.mark.policy(
    "385.7",
    "385.7(a)", "385.7(b)", "385.7(c)", "385.7(d)", "385.7(e)", "385.7(f)", "385.7(g)", "385.7(h)", "385.7(i)",
    "385.7(j)", "385.7(k)", "385.7(l)", "385.7(m)", "385.7(n)", "385.7(o)", "385.7(p)", "385.7(q)",
)  # fmt: skip
@pytest.mark.parametrize("item", Transitory.values)
def test_a_substantive_series_cannot_carry_a_transitory_item(item):
    series = RecordSeries(code="CW-SUB", title="Substantive", substantive=True, transitory_item=item)
    with pytest.raises(ValidationError, match="substantive_series_has_no_transitory_item"):
        series.full_clean()
    # The database refuses it too, whatever path the row takes.
    with pytest.raises(IntegrityError), transaction.atomic():
        RecordSeries.objects.create(code="CW-SUB", title="Substantive", substantive=True, transitory_item=item)
    assert not RecordSeries.objects.filter(code="CW-SUB").exists()


@pytest.mark.policy("385.7")
def test_a_transitory_series_names_its_item_of_385_7():
    with pytest.raises(ValidationError):
        RecordSeries(code="TR-X", title="Transitory", substantive=False, transitory_item="").full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        RecordSeries.objects.create(code="TR-X", title="Transitory", substantive=False, transitory_item="")
    assert not RecordSeries.objects.filter(code="TR-X").exists()


@pytest.mark.policy("385.7")
def test_a_transitory_item_must_be_one_of_the_policys():
    series = RecordSeries(code="TR-R", title="Not in the policy", substantive=False, transitory_item="r")
    with pytest.raises(ValidationError) as refused:
        series.full_clean()
    assert "transitory_item" in refused.value.message_dict
