from datetime import timedelta

from django import forms
from django.utils import timezone

from members.forms import DateInput, add_domain_error
from moderation.models import ConfidentialTerm

from .base import Severity

__all__ = ["ConfidentialTermForm", "RuleSettingForm", "TryTextForm", "WithdrawTermForm", "add_domain_error"]

TRY_TEXT_LIMIT = 20_000


class TryTextForm(forms.Form):
    kind = forms.ChoiceField(label="Screen as", choices=[("post", "A post"), ("comment", "A public comment")])
    text = forms.CharField(
        label="Text",
        max_length=TRY_TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Nothing typed here is saved or posted.",
    )


class ConfidentialTermForm(forms.Form):
    term = forms.CharField(
        label="Term",
        max_length=300,
        help_text="A name, number or description that must not appear in posts while the case is open.",
    )
    kind = forms.ChoiceField(label="Kind", choices=ConfidentialTerm.Kind.choices)
    case_number = forms.CharField(label="Case number", max_length=64, required=False)
    expires_on = forms.DateField(
        label="Blocks posts until", widget=DateInput(), help_text="Review or renew the term by this date."
    )
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("expires_on", timezone.localdate() + timedelta(days=180))


class WithdrawTermForm(forms.Form):
    reason = forms.CharField(label="Reason for withdrawing", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class RuleSettingForm(forms.Form):
    enabled = forms.BooleanField(label="Rule is on", required=False)
    severity = forms.ChoiceField(
        label="Severity",
        required=False,
        choices=[("", "The rule's own")] + list(Severity.choices),
    )
