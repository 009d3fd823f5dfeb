from datetime import timedelta

from django import forms
from django.apps import apps
from django.contrib.auth import get_user_model
from django.utils import timezone

from core.errors import DomainError

from .accounts import ASSIGNABLE_ROLES
from .models import Role, TrainingTopic
from .permissions import can_give_role


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a refused service call on the form, on the field it names, with its policy section."""
    message = str(error)  # the reason, and its section where the policy gives one
    field = error.field if error.field in form.fields else None
    form.add_error(field, message)


class AuthorizationForm(forms.Form):
    channels = forms.ModelMultipleChoiceField(
        label="Channels",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The department pages this member may post to.",
    )
    all_channels = forms.BooleanField(label="All channels, present and future", required=False)
    valid_from = forms.DateTimeField(label="Valid from", widget=DateTimeLocalInput())
    valid_until = forms.DateTimeField(
        label="Valid until", required=False, widget=DateTimeLocalInput(), help_text="Leave empty: until revoked."
    )
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        Channel = apps.get_model("posts", "Channel")
        self.fields["channels"].queryset = Channel.objects.filter(is_active=True).order_by("name")
        if not self.is_bound:
            self.initial.setdefault("valid_from", timezone.localtime().replace(second=0, microsecond=0))


class RevokeAuthorizationForm(forms.Form):
    reason = forms.CharField(label="Reason for revoking", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class TrainingRecordForm(forms.Form):
    course = forms.CharField(label="Course", max_length=200)
    topics = forms.MultipleChoiceField(
        label="Topics covered",
        choices=TrainingTopic.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="385.8 requires all five.",
    )
    completed_on = forms.DateField(label="Completed on", widget=DateInput())
    expires_on = forms.DateField(label="Expires on", widget=DateInput())
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            today = timezone.localdate()
            self.initial.setdefault("completed_on", today)
            self.initial.setdefault("expires_on", today + timedelta(days=365))
            self.initial.setdefault("topics", TrainingTopic.values)


class RemoteExceptionForm(forms.Form):
    reason = forms.CharField(
        label="Reason", widget=forms.Textarea(attrs={"rows": 2}), help_text="Why this member may post from elsewhere."
    )
    valid_until = forms.DateTimeField(label="Valid until", widget=DateTimeLocalInput())


class DisableMemberForm(forms.Form):
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 2}))


class TwoFactorForm(forms.Form):
    token = forms.CharField(
        label="Two-factor code",
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
        help_text="The 6-digit code from your authenticator app.",
    )

    def clean_token(self):
        token = self.cleaned_data["token"].replace(" ", "")
        if not token.isdigit():
            raise forms.ValidationError("Enter the digits shown in your authenticator app.")
        return token


class EnrolmentCodeForm(forms.Form):
    code = forms.CharField(
        label="Enrolment code",
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "autofocus": True}),
        help_text="The one-time code the Chief, the designee or an administrator gave you.",
    )


def _role_choices(actor):
    return [(role, Role(role).label) for role in ASSIGNABLE_ROLES if can_give_role(actor, role)]


class AddMemberForm(forms.Form):
    username = forms.CharField(label="Username", max_length=150)
    first_name = forms.CharField(label="First name", max_length=150)
    last_name = forms.CharField(label="Last name", max_length=150)
    email = forms.EmailField(label="E-mail", required=False, help_text="Where notices and lockout warnings go.")
    badge_number = forms.CharField(label="Badge / employee ID", max_length=32)
    division = forms.CharField(label="Division", max_length=120, required=False)
    rank = forms.CharField(label="Rank", max_length=80, required=False)
    supervisor = forms.ModelChoiceField(label="Supervisor", queryset=None, required=False)
    roles = forms.MultipleChoiceField(label="Roles", required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        User = get_user_model()
        self.fields["supervisor"].queryset = User.objects.filter(groups__name=Role.SUPERVISOR, is_active=True).order_by(
            "last_name", "username"
        )
        self.fields["roles"].choices = _role_choices(actor)
        self.fields["supervisor"].label_from_instance = lambda u: u.get_full_name() or u.get_username()


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(label="Roles", required=False, widget=forms.CheckboxSelectMultiple)
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"].choices = _role_choices(actor)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class UnlockForm(forms.Form):
    reason = forms.CharField(label="Reason", required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
