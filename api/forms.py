from datetime import timedelta

from django import forms
from django.utils import timezone

from members.forms import DateInput

from .scopes import scope_choices


class TokenForm(forms.Form):
    name = forms.CharField(label="Name", max_length=100, help_text="What will use it, e.g. the dispatch system.")
    scopes = forms.MultipleChoiceField(label="Scopes", choices=scope_choices, widget=forms.CheckboxSelectMultiple)
    expires_on = forms.DateField(label="Expires on", widget=DateInput(), help_text="At most a year from today.")
    allowed_networks = forms.CharField(
        label="Allowed networks",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One network per line (e.g. 10.20.0.0/16). Empty: any network.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("expires_on", timezone.localdate() + timedelta(days=90))

    def networks(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("allowed_networks", "").splitlines() if line.strip()]
