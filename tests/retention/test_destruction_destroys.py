"""385.7: a destroyed record is destroyed everywhere the application holds it. A post carrying a unique marker in
every field, an attachment and a comment is published, its records are destroyed through a disposition, and then
the whole database and MEDIA_ROOT are searched for the marker and the commenter's e-mail address."""

import io
import os
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from moderation import services as review
from posts import services as posts
from posts.models import Attachment, Comment, Post
from posts.publishing import intake
from retention import disposition
from retention.models import DispositionItem, MediaBlob, Record
from retention.services import capture_comment, capture_post
from tests.conftest import skip_or_fail
from tests.posts.factories import draft

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.policy("385.7")]

MARKER = "Zebulon7Quixotic"
EMAIL = "qx.witness.7731@example.org"


def _pdf(text: str) -> bytes:
    return f"%PDF-1.4\n% {text}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".encode()


def later(years=3):
    return timezone.localdate() + timedelta(days=365 * years)


@pytest.fixture
def marked(author, channel, supervisor, series):
    """A published post with the marker in its headline, body, translation, an attachment's name and content, and
    a public comment with the marker in its text from a commenter with EMAIL; all captured as records."""
    post = draft(
        author,
        [channel],
        title=f"Found bicycle {MARKER}",
        body=f"A bicycle was found on Avenue 44. Reference {MARKER}.",
        translation_language="es",
        translation_body=f"Se encontró una bicicleta en la Avenida 44. Referencia {MARKER}.",
    )
    upload = SimpleUploadedFile(f"flyer-{MARKER}.pdf", _pdf(MARKER), content_type="application/pdf")
    posts.add_attachment(actor=author, post=post, uploaded=upload)
    post.refresh_from_db()
    review.submit_for_review(actor=author, post=post)
    review.approve_post(actor=supervisor, post=post)
    posts.publish_post(actor=author, post=post)
    post.refresh_from_db()
    comment = intake.receive_comment(
        channel=channel,
        post=post,
        author_name="Pat Witness",
        text=f"That is my bike! Ticket {MARKER}.",
        author_email=EMAIL,
        ip="2001:db8::7",
    )
    post_record, _ = capture_post(post.pk)
    comment_record, _ = capture_comment(comment.pk)
    return post, comment, [post_record, comment_record]


def _destroy(custodian, records):
    summary = disposition.scan(as_of=later(), apply=True, actor=custodian)
    for item in DispositionItem.objects.filter(batch_id=summary["batch"]):
        disposition.decide(actor=custodian, item=item, approve=True)
    batch = DispositionItem.objects.filter(batch_id=summary["batch"]).first().batch
    return disposition.carry_out(actor=custodian, batch=batch)


def _database_text() -> str:
    if connection.vendor == "postgresql":
        database = connection.settings_dict
        env = {**os.environ, "PGPASSWORD": database.get("PASSWORD") or ""}
        command = ["pg_dump", "--data-only", "-h", database.get("HOST") or "127.0.0.1"]
        command += ["-p", str(database.get("PORT") or 5432), "-U", database.get("USER") or "postgres", database["NAME"]]
        try:
            return subprocess.run(command, env=env, capture_output=True, check=True, text=True).stdout
        except FileNotFoundError:
            skip_or_fail("pg_dump is not installed (apt-get install postgresql-client)")
    return "\n".join(connection.connection.iterdump())


def _files_holding(root: Path, needles: list[bytes]) -> list[str]:
    found = []
    for path in root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            if any(needle in data for needle in needles) or any(n.decode() in path.name for n in needles):
                found.append(str(path))
    return found


def test_destroying_the_records_leaves_the_marker_and_the_email_nowhere(marked, custodian):
    post, comment, records = marked
    media_root = Path(django_settings.MEDIA_ROOT)
    before = _database_text()
    assert MARKER in before and EMAIL in before  # the search below can find them
    assert _files_holding(media_root, [MARKER.encode()])

    batch = _destroy(custodian, records)

    for record in records:
        record.refresh_from_db()
        assert record.status == Record.Status.DESTROYED
    dump = _database_text()
    for needle in (MARKER, MARKER.lower(), EMAIL):
        assert needle not in dump, [line[:300] for line in dump.splitlines() if needle in line]
    assert _files_holding(media_root, [MARKER.encode(), MARKER.lower().encode()]) == []
    assert f"batch #{batch.pk}" in Post.objects.get(pk=post.pk).title  # the stub says under which certificate
    assert not Attachment.objects.filter(post=post).exists()
    assert Comment.objects.get(pk=comment.pk).ip is None
    page = batch.certificate_html
    assert "headline, body, translation" in page and f"comment #{comment.pk}" in page
    call_command("verify_audit", stdout=io.StringIO())  # the trail is intact


def test_a_disposition_that_fails_at_its_last_step_leaves_every_file_on_disk(marked, custodian, monkeypatch):
    _post, _comment, records = marked
    media_root = Path(django_settings.MEDIA_ROOT)
    files = sorted(str(p) for p in media_root.rglob("*") if p.is_file())
    assert files and MediaBlob.objects.exists()

    def broken(html):
        raise RuntimeError("PDF engine crashed")

    monkeypatch.setattr(disposition, "certificate_pdf", broken)
    with pytest.raises(RuntimeError):
        _destroy(custodian, records)

    assert sorted(str(p) for p in media_root.rglob("*") if p.is_file()) == files
    for record in records:
        record.refresh_from_db()
        assert record.status == Record.Status.ACTIVE and record.verify()
    assert MARKER in Post.objects.get(pk=_post.pk).title


def test_the_websites_resized_copies_of_a_destroyed_post_are_gone_too(author, channel, supervisor, series, custodian):
    from PIL import Image

    from posts import renditions

    picture = io.BytesIO()
    Image.new("RGB", (1200, 800), (40, 90, 160)).save(picture, format="JPEG")
    post = draft(author, [channel], title="Lost dog found", body="A brown dog was found on Avenue 44.")
    upload = SimpleUploadedFile("dog.jpg", picture.getvalue(), content_type="image/jpeg")
    attachment = posts.add_attachment(actor=author, post=post, uploaded=upload, alt_text="A brown dog on a leash")
    review.submit_for_review(actor=author, post=post)
    review.approve_post(actor=supervisor, post=post)
    posts.publish_post(actor=author, post=post)
    assert renditions.prepare_post_images(post.pk) > 0
    copies = Path(django_settings.MEDIA_ROOT) / "renditions" / str(attachment.pk)
    assert any(copies.iterdir())

    record, _ = capture_post(post.pk)
    _destroy(custodian, [record])
    assert not copies.exists() or not any(copies.iterdir())
