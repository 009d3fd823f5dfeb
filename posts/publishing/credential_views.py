"""The page where a channel's credentials are entered. Values go in and are never shown again."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ImproperlyConfigured
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from core.errors import DomainError
from members.forms import add_domain_error

from ..models import Channel
from ..permissions import require_credentials_keeper
from .credential_services import set_channel_credentials
from .credentials import CredentialsUnreadable, credential_fields
from .credentials import channel_credentials as stored_credentials


class ChannelCredentialsForm(forms.Form):
    def __init__(self, fields, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in fields:
            self.fields[field.key] = forms.CharField(
                label=field.label,
                help_text=field.help_text,
                required=field.required,
                strip=True,
                widget=forms.PasswordInput(
                    render_value=False, attrs={"autocomplete": "new-password", "spellcheck": "false"}
                ),
            )


def _stored(channel) -> tuple[set, str]:
    """Which keys are stored, and a warning when they cannot be read here."""
    if not channel.credentials_encrypted:
        return set(), ""
    try:
        return set(stored_credentials(channel)), ""
    except CredentialsUnreadable as exc:
        return set(), str(exc)
    except ImproperlyConfigured:
        return set(), "This server has no CREDENTIALS_KEY, so stored credentials cannot be read or saved."


# Error pages and reports must not carry what was typed into this form.
@sensitive_post_parameters()
@login_required
@require_http_methods(["GET", "POST"])
def channel_credentials(request, slug):
    require_credentials_keeper(request.user)
    channel = get_object_or_404(Channel, slug=slug)
    fields = credential_fields(channel.kind)
    form = ChannelCredentialsForm(fields, request.POST or None) if fields else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            set_channel_credentials(actor=request.user, channel=channel, credentials=dict(form.cleaned_data))
        except DomainError as error:
            add_domain_error(form, error)
        except ImproperlyConfigured:
            form.add_error(
                None,
                "This server has no valid CREDENTIALS_KEY, so credentials cannot be saved. "
                "Ask the administrator to set it.",
            )
        else:
            messages.success(request, "Credentials saved.")
            return redirect("posts:channel_credentials", slug=channel.slug)
    stored, warning = _stored(channel)
    return render(
        request,
        "posts/channel_credentials.html",
        {
            "channel": channel,
            "form": form,
            "rows": [{"label": f.label, "is_set": f.key in stored} for f in fields],
            "warning": warning,
        },
    )
