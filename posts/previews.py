"""The draft page's previews: the post as each chosen platform will show it, counted by that platform's rules, with
a warning that names the platform and what to do when it does not fit (385.5(g)). The page renders them, and the
page's script asks `/posts/preview/` for the same ones while the author types, so the count is always the server's.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .models import Attachment, Channel
from .publishing.limits import SECTION, Fit, fit, published_text


@dataclass(frozen=True)
class Preview:
    fit: Fit
    text: str
    images: tuple  # Attachment rows of kind image, in the order they were added

    @property
    def channel_name(self) -> str:
        return self.fit.channel_name

    @property
    def platform(self) -> str:
        return self.fit.platform

    @property
    def fits(self) -> bool:
        return self.fit.fits

    @property
    def too_long(self) -> bool:
        return self.fit.over_by > 0

    @property
    def count(self) -> str:
        """ "X: 312 / 280"."""
        if self.fit.limit:
            return f"{self.platform}: {self.fit.length:,} / {self.fit.limit:,}"
        return f"{self.platform}: {self.fit.length:,}"

    @property
    def advice(self) -> str:
        """What to do, when the text is too long: shorten it by so much, or leave the channel out."""
        if not self.too_long:
            return ""
        return _("Shorten it by %(over)s characters, or leave %(channel)s out.") % {
            "over": f"{self.fit.over_by:,}",
            "channel": self.channel_name,
        }

    @property
    def media_problems(self) -> tuple[str, ...]:
        # limits.fit lists the text's problem first, then the media's.
        return self.fit.problems[1:] if self.too_long else self.fit.problems

    def as_json(self) -> dict:
        return {
            "channel": self.fit.channel_id,
            "channel_name": self.channel_name,
            "platform": self.platform,
            "length": self.fit.length,
            "limit": self.fit.limit,
            "over_by": self.fit.over_by,
            "fits": self.fits,
            "count": self.count,
            "advice": self.advice,
            "problems": list(self.fit.problems),
            "section": SECTION,
        }


def previews_for(*, channels, body: str, translation_body: str = "", attachments=()) -> list[Preview]:
    """One preview per chosen channel whose platform has limits (the others show the post as written)."""
    text = published_text(body, translation_body)
    attachments = list(attachments)
    images = tuple(a for a in attachments if a.kind == Attachment.Kind.IMAGE)
    found = []
    for channel in sorted(channels, key=lambda c: c.name):
        measured = fit(channel, text, attachments)
        if measured is not None:
            found.append(Preview(fit=measured, text=text, images=images))
    return found


def summary(previews: list[Preview]) -> str:
    """One sentence for the page's polite live region: which platforms the post does not fit, or that it fits."""
    if not previews:
        return ""
    misfits = [p for p in previews if not p.fits]
    if not misfits:
        return _("Fits every chosen platform: %(counts)s.") % {"counts": "; ".join(p.count for p in previews)}
    parts = []
    for preview in misfits:
        if preview.too_long:
            parts.append(f"{preview.count}. {preview.advice}")
        else:
            parts.append(
                _("%(channel)s: %(problem)s") % {"channel": preview.channel_name, "problem": preview.fit.problems[0]}
            )
    return _("Does not fit: %(parts)s") % {"parts": " ".join(parts)}


def chosen_channels(ids) -> list[Channel]:
    """The active channels among `ids` (the form's checkbox values); anything else is ignored."""
    wanted = [int(i) for i in ids if str(i).isdigit()][:50]
    return list(Channel.objects.filter(is_active=True, pk__in=wanted)) if wanted else []


def previews_for_form(form, post=None) -> list[Preview]:
    """The previews the draft page shows as it is rendered: of what was just sent when the form comes back with
    an error, otherwise of the saved post (none for a new, empty form)."""
    attachments = list(post.attachments.all()) if post is not None and post.pk else []
    if form.is_bound:
        data = form.data
        return previews_for(
            channels=chosen_channels(data.getlist("channels")),
            body=data.get("body", ""),
            translation_body=data.get("translation_body", ""),
            attachments=attachments,
        )
    if post is None or not post.pk:
        return []
    return previews_for(
        channels=post.channels.all(),
        body=post.body,
        translation_body=post.translation_body,
        attachments=attachments,
    )
