"""Everything on the department's accounts is a record, wherever it was posted (385.7, 385.5(g)).

Public-sector archiving captures an account's whole history, not only what one tool sent. Every few minutes each
connected account's own posts of the last ACCOUNT_READ_DAYS are read back from the platform:
- a post socialgov did not publish is "posted outside socialgov": each of its wordings is captured as a record and the
  Social Media Officer and the supervisors are told at once, since content that did not go through authorization and
  approval is what 385.5(g) prohibits;
- a post socialgov published whose wording on the platform is not the approved one (edited on the platform) gets a
  new captured version, flagged, and the same alert;
- a post that has gone from the account without socialgov removing it is captured as deleted, flagged.
Texts are compared as platforms give them back (entities, line ends, links rewritten to shorteners), so a platform's
own rendering of the approved words is never taken for an edit.
"""

import hashlib
import logging
import re
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.audit import record_event
from core.errors import InvalidInput, InvalidTransition, PermissionRefused
from core.notifications import notify
from members.models import Role

from ..models import AccountPost, AccountPostVersion, Channel, Publication
from ..permissions import can_remove_from_public_view
from ..selectors import users_with_roles
from ..signals import account_post_version_seen
from .adapters.webhook import comparable
from .base import AdapterError, Capability, RemotePost, RemoteVersion, adapter_for
from .credentials import CredentialsUnreadable
from .limits import published_text

log = logging.getLogger(__name__)
V = AccountPostVersion.Change
LINK = re.compile(r"https?://\S+", re.IGNORECASE)
# A post published through socialgov in the last minutes may not be listed yet by the platform.
SETTLING = timedelta(minutes=5)


def normalised(text: str) -> str:
    """The words of a post as compared across platforms: links as placeholders, whitespace evened out."""
    return " ".join(LINK.sub("<link>", comparable(text)).split())


def _sha(text: str) -> str:
    return hashlib.sha256((text or "").encode()).hexdigest()


def _media(items) -> list[dict]:
    return [{"url": m.url, "kind": m.kind, "description": m.description} for m in items]


def watched_channels():
    channels = Channel.objects.filter(is_active=True).exclude(credentials_encrypted="")
    return [c for c in channels if (a := adapter_for(c)) and Capability.FETCH_OWN_POSTS in a.capabilities]


def read_accounts() -> dict:
    """Read every watched account; one account's failure does not stop the others."""
    totals = {"accounts": 0, "failed": 0, "outside": 0, "edited": 0, "deleted": 0}
    for channel in watched_channels():
        try:
            counts = read_account(channel)
        except (AdapterError, CredentialsUnreadable) as error:
            totals["failed"] += 1
            log.warning("Reading the %s account failed: %s", channel.slug, getattr(error, "message", error))
            continue
        totals["accounts"] += 1
        for key in ("outside", "edited", "deleted"):
            totals[key] += counts[key]
    return totals


def read_account(channel: Channel) -> dict:
    """Read one account's own posts back and capture what is new. Returns what it found."""
    adapter = adapter_for(channel)
    if adapter is None or Capability.FETCH_OWN_POSTS not in adapter.capabilities:
        raise AdapterError(f"socialgov cannot read the posts of {channel}.", permanent=True, code="invalid")
    started = timezone.now()
    since = started - timedelta(days=settings.ACCOUNT_READ_DAYS)
    remote = adapter.fetch_own_posts(since)
    counts = {"seen": len(remote), "outside": 0, "edited": 0, "deleted": 0}
    listed = set()
    for item in remote:
        listed.update((item.external_id, *item.also_known_as))
        with transaction.atomic():
            _take(channel, item, counts)
    with transaction.atomic():
        _gone(channel, listed, since=since, before=started - SETTLING, counts=counts)
        Channel.objects.filter(pk=channel.pk).update(account_read_at=started)
    return counts


def _approved_text(publication: Publication | None) -> str | None:
    """The wording socialgov approved for this publication, or None when it is no longer known exactly."""
    if publication is None:
        return None
    post = publication.post
    if post.version != publication.post_version:
        return None
    return published_text(post.body, post.translation_body)


def _take(channel: Channel, item: RemotePost, counts: dict) -> None:
    account_post = AccountPost.objects.select_for_update().filter(channel=channel, external_id=item.external_id).first()
    now = timezone.now()
    if account_post is None:
        publication = (
            Publication.objects.select_related("post")
            .filter(channel=channel, external_id__in=(item.external_id, *item.also_known_as))
            .order_by("-post_version")
            .first()
        )
        account_post = AccountPost.objects.create(
            channel=channel,
            external_id=item.external_id,
            publication=publication,
            outside=publication is None,
            url=item.url[:500],
            created_on_platform=item.created_at,
        )
        approved = _approved_text(publication)
        wordings = [*item.history, RemoteVersion(text=item.text, edited_at=item.edited_at, media=item.media)]
        new = []
        for index, wording in enumerate(wordings):
            change = V.CREATED if index == 0 else V.EDITED
            if publication is None:
                flagged = True
            elif index == 0:
                # What socialgov sent; flagged only if it differs from the approved words.
                flagged = approved is not None and normalised(wording.text) != normalised(approved)
            else:
                flagged = True
            new.append(_version(account_post, index + 1, change, wording, flagged=flagged))
        if account_post.outside:
            counts["outside"] += 1
        counts["edited"] += sum(1 for v in new if v.change == V.EDITED or (v.flagged and not account_post.outside))
        _alert(account_post, [v for v in new if v.flagged])
        return
    AccountPost.objects.filter(pk=account_post.pk).update(last_seen_at=now, url=item.url[:500] or account_post.url)
    last = account_post.versions.order_by("-number").first()
    if last is not None and last.change != V.DELETED and normalised(last.text) == normalised(item.text):
        return
    version = _version(
        account_post,
        (last.number if last else 0) + 1,
        V.EDITED,
        RemoteVersion(text=item.text, edited_at=item.edited_at, media=item.media),
        flagged=True,
    )
    counts["edited"] += 1
    _alert(account_post, [version])


def _version(account_post, number, change, wording, *, flagged) -> AccountPostVersion:
    version = AccountPostVersion.objects.create(
        account_post=account_post,
        number=number,
        change=change,
        text=wording.text if change != V.DELETED else "",
        sha256=_sha(wording.text if change != V.DELETED else ""),
        media=_media(getattr(wording, "media", ())) if change != V.DELETED else [],
        edited_at=getattr(wording, "edited_at", None),
        flagged=flagged,
    )
    record_event(
        "system",
        "account_post.captured",
        account_post,
        details={
            "channel": account_post.channel.slug,
            "external_id": account_post.external_id,
            "version": number,
            "change": change,
            "outside_socialgov": account_post.outside,
            "flagged": flagged,
        },
    )
    account_post_version_seen.send(sender=AccountPostVersion, version=version)
    return version


def _gone(channel: Channel, listed: set, *, since, before, counts: dict) -> None:
    """Posts of the read window no longer on the account: deleted there, unless socialgov removed them."""
    missing = (
        AccountPost.objects.select_for_update(of=("self",))
        .select_related("publication")
        .filter(channel=channel, deleted_seen_at__isnull=True, created_on_platform__gte=since)
        .exclude(external_id__in=listed)
    )
    for account_post in missing:
        removed_here = account_post.publication is not None and account_post.publication.status in {
            Publication.Status.REMOVED,
            Publication.Status.REMOVAL_PENDING,
        }
        AccountPost.objects.filter(pk=account_post.pk).update(deleted_seen_at=timezone.now())
        last = account_post.versions.order_by("-number").first()
        version = _version(
            account_post, (last.number if last else 0) + 1, V.DELETED, RemoteVersion(text=""), flagged=not removed_here
        )
        counts["deleted"] += 1
        if version.flagged:
            _alert(account_post, [version])
    # Published through socialgov, never seen on the account since, and not listed now: deleted on the platform.
    unseen = (
        Publication.objects.select_related("post")
        .filter(
            channel=channel,
            status=Publication.Status.PUBLISHED,
            published_at__gte=since,
            published_at__lte=before,
        )
        .exclude(external_id="")
        .exclude(external_id__in=listed)
        .exclude(account_posts__channel=channel)
    )
    for publication in unseen:
        account_post = AccountPost.objects.create(
            channel=channel,
            external_id=publication.external_id,
            publication=publication,
            url=publication.url[:500],
            created_on_platform=publication.published_at,
            deleted_seen_at=timezone.now(),
        )
        version = _version(account_post, 1, V.DELETED, RemoteVersion(text=""), flagged=True)
        counts["deleted"] += 1
        _alert(account_post, [version])


def _alert(account_post: AccountPost, flagged: list) -> None:
    if not flagged:
        return
    channel = account_post.channel
    latest = flagged[-1]
    if account_post.outside:
        subject = f"Posted outside socialgov on {channel} (385.5(g))"
        what = (
            "A post appeared on the department's account that did not go through socialgov's authorization and "
            "approval."
        )
    elif latest.change == V.DELETED:
        subject = f"A post was deleted on {channel} outside socialgov (385.5(g))"
        what = (
            f'The post "{account_post.publication.post.title}" is gone from the account; socialgov did not remove it.'
        )
    else:
        subject = f"A post was edited on {channel} after approval (385.5(g))"
        what = (
            f'The post "{account_post.publication.post.title}" now reads differently on the platform from the '
            "wording that was approved."
        )
    body = f"{what}\n\n"
    if latest.change != V.DELETED:
        body += f"It reads:\n\n{latest.text[:2000]}\n\n"
    if account_post.link:
        body += f"On the platform: {account_post.link}\n"
    body += "It has been captured as a record. Find out who posted it and why, and act under 385.5."
    notify(
        users_with_roles(Role.SMO, Role.SUPERVISOR),
        event="account_post.flagged",
        subject=subject,
        body=body,
        url=f"/account-posts/{account_post.pk}/",
    )


def open_flags():
    """Account posts with a flagged wording nobody has acknowledged yet, newest first."""
    return (
        AccountPost.objects.filter(acknowledged_at__isnull=True, versions__flagged=True)
        .distinct()
        .select_related("channel", "publication__post")
        .order_by("-first_seen_at", "-pk")
    )


@transaction.atomic
def acknowledge(*, actor, account_post: AccountPost, note: str) -> AccountPost:
    """A supervisor or the Social Media Officer says what they found and did (385.5: investigate the cause)."""
    if not can_remove_from_public_view(actor):
        raise PermissionRefused(
            "Only a supervisor or the Social Media Officer answers for content on the accounts.", section="385.5"
        )
    note = (note or "").strip()
    if not note:
        raise InvalidInput("Say what was found and done.", field="note")
    account_post = AccountPost.objects.select_for_update().get(pk=account_post.pk)
    if account_post.acknowledged_at:
        raise InvalidTransition("This was already answered.", field="status")
    account_post.acknowledged_by, account_post.acknowledged_at = actor, timezone.now()
    account_post.acknowledgement = note[:4000]
    account_post.save(update_fields=["acknowledged_by", "acknowledged_at", "acknowledgement"])
    record_event(
        actor,
        "account_post.acknowledged",
        account_post,
        details={"channel": account_post.channel.slug, "note": note[:500]},
    )
    return account_post
