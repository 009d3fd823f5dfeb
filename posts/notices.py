"""The notices every page of the department website carries (385.5.1(a)) and its emergency line, in English and
Spanish: who may word them, the service that records a new version, what the pages read, and the Chief's page.

Kept together in one module because they are one small feature; the versions are rows of `WebsiteNotices`, never
changed once written, so the trail of what the site said is the table itself (and the audit event of each change).
"""

from dataclasses import dataclass
from datetime import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from core.audit import record_event
from core.errors import DomainError, InvalidInput, InvalidTransition, PermissionRefused
from core.history import full_clean
from members.permissions import is_chief_or_designee

from .models import WebsiteNotices

SECTION = "385.5.1(a)"
NOTICES = ("opinions", "moderation", "public_records", "emergency")
LANGUAGES = ("en", "es")
FIELDS = tuple(f"{notice}_{language}" for notice in NOTICES for language in LANGUAGES)
MAX_CHARS = 500
CACHE_KEY = "public:website-notices"

# What the pages say when no version is stored (a database flushed by a test, or before the first migration ran):
# the same wording migration 0014 seeds.
DEFAULTS = {
    "opinions_en": "Opinions expressed by visitors do not reflect the opinions of the department.",
    "opinions_es": "Las opiniones expresadas por los visitantes no reflejan las opiniones del departamento.",
    "moderation_en": (
        "Comments are monitored. The department reserves the right to remove obscenities, off-topic comments and "
        "personal attacks."
    ),
    "moderation_es": (
        "Los comentarios se supervisan. El departamento se reserva el derecho de eliminar obscenidades, comentarios "
        "fuera de tema y ataques personales."
    ),
    "public_records_en": "Any content posted or submitted for posting is subject to public disclosure.",
    "public_records_es": "Todo contenido publicado o enviado para su publicación está sujeto a divulgación pública.",
    "emergency_en": "In an emergency call 911.",
    "emergency_es": "En caso de emergencia, llame al 911.",
}


# Permissions ------------------------------------------------------------------------------------------------


def can_edit_website_notices(user) -> bool:
    return getattr(user, "is_authenticated", False) and is_chief_or_designee(user)


def require_website_notices_editor(user) -> None:
    if not can_edit_website_notices(user):
        raise PermissionRefused(
            "Only the Chief of Police or the authorized designee words the notices the department's pages carry.",
            section=SECTION,
        )


# What the pages read ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Notices:
    version: int
    created_at: datetime | None
    texts: dict

    def in_language(self, language: str) -> dict:
        """{"opinions": ..., "moderation": ..., "public_records": ..., "emergency": ...} in one language."""
        language = language if language in LANGUAGES else "en"
        return {notice: self.texts[f"{notice}_{language}"] for notice in NOTICES}


def current_notices() -> Notices:
    """The newest version. Cached (every page shows it); a new version clears the cache when it commits."""
    found = cache.get(CACHE_KEY)
    if found is None:
        row = WebsiteNotices.objects.order_by("-version").first()
        if row is None:
            found = Notices(version=0, created_at=None, texts=dict(DEFAULTS))
        else:
            found = Notices(version=row.version, created_at=row.created_at, texts={f: getattr(row, f) for f in FIELDS})
        cache.set(CACHE_KEY, found, timeout=300)
    return found


def forget_cached_notices() -> None:
    cache.delete(CACHE_KEY)


# The service ------------------------------------------------------------------------------------------------


def _clean(value: str) -> str:
    # One line each: the notices are sentences, and stray line breaks or doubled spaces only make versions differ.
    return " ".join((value or "").split())


@transaction.atomic
def revise_website_notices(*, actor, **texts: str) -> WebsiteNotices:
    """Record a new version of the notices (every field, English and Spanish); the site shows it from the commit on."""
    require_website_notices_editor(actor)
    unknown = set(texts) - set(FIELDS)
    if unknown:
        raise InvalidInput(f"Unknown notice: {', '.join(sorted(unknown))}.")
    cleaned = {field: _clean(texts.get(field, "")) for field in FIELDS}
    for field in FIELDS:
        if not cleaned[field]:
            raise InvalidInput("Every notice needs its wording, in English and in Spanish.", field=field)
        if len(cleaned[field]) > MAX_CHARS:
            raise InvalidInput(f"Keep each notice under {MAX_CHARS} characters.", field=field)
    latest = WebsiteNotices.objects.select_for_update().order_by("-version").first()
    before = {f: getattr(latest, f) for f in FIELDS} if latest else DEFAULTS
    changed = [field for field in FIELDS if cleaned[field] != before[field]]
    if not changed:
        raise InvalidInput("Nothing changed: the website already carries this wording.")
    revision = WebsiteNotices(version=(latest.version + 1) if latest else 1, created_by=actor, **cleaned)
    full_clean(revision)
    try:
        with transaction.atomic():
            revision.save(force_insert=True)
    except IntegrityError as exc:
        # Two editors saved at once (SQLite takes no row lock): the unique version number keeps one of them.
        raise InvalidTransition(
            "The notices were changed by someone else a moment ago. Reload the page and check their wording."
        ) from exc
    record_event(actor, "website_notices.revised", revision, details={"version": revision.version, "changed": changed})
    # The pages' validators (ETag, Last-Modified) include the version, so clearing this cache is enough for every
    # browser and proxy to fetch the new wording.
    transaction.on_commit(forget_cached_notices)
    return revision


# The Chief's page -------------------------------------------------------------------------------------------


class WebsiteNoticesForm(forms.Form):
    opinions_en = forms.CharField(label="Visitors' opinions — English", max_length=MAX_CHARS)
    opinions_es = forms.CharField(label="Visitors' opinions — Spanish", max_length=MAX_CHARS)
    moderation_en = forms.CharField(
        label="Comments are monitored — English", max_length=MAX_CHARS, widget=forms.Textarea(attrs={"rows": 2})
    )
    moderation_es = forms.CharField(
        label="Comments are monitored — Spanish", max_length=MAX_CHARS, widget=forms.Textarea(attrs={"rows": 2})
    )
    public_records_en = forms.CharField(label="Subject to public disclosure — English", max_length=MAX_CHARS)
    public_records_es = forms.CharField(label="Subject to public disclosure — Spanish", max_length=MAX_CHARS)
    emergency_en = forms.CharField(label="Emergency line — English", max_length=MAX_CHARS)
    emergency_es = forms.CharField(label="Emergency line — Spanish", max_length=MAX_CHARS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            # Screen readers and spell checkers read each box in its own language.
            field.widget.attrs["lang"] = name.rsplit("_", 1)[1]


@login_required
@require_http_methods(["GET", "POST"])
def edit_website_notices(request):
    require_website_notices_editor(request.user)
    current = current_notices()
    form = WebsiteNoticesForm(request.POST or None, initial=current.texts)
    if request.method == "POST" and form.is_valid():
        try:
            revision = revise_website_notices(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(
                request, f"Notices saved as version {revision.version}: every page of the website now carries them."
            )
            return redirect("posts:website_notices")
    versions = WebsiteNotices.objects.select_related("created_by").order_by("-version")[:20]
    return render(
        request,
        "posts/notices_form.html",
        {"form": form, "current": current, "versions": versions, "section": SECTION},
        status=400 if form.errors else 200,
    )
