"""Forms of background vetting. They only collect input: the services decide and refuse."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from members.forms import DateInput

from .models import Finding, ProcessMember, ProtectedFlag, StepResult
from .protected_classes import CATEGORIES
from .services import ATTESTATION


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.get_full_name() or obj.get_username()} ({obj.get_username()})"


class MembersChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.get_full_name() or obj.get_username()} ({obj.get_username()})"


def _active_members():
    return get_user_model().objects.filter(is_active=True).order_by("last_name", "first_name", "username")


class DesignateForm(forms.Form):
    member = MemberChoiceField(label="Member to designate", queryset=None, to_field_name="username")
    valid_until = forms.DateField(label="Valid until", widget=DateInput())
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text="Why this member holds the sensitive position of online-vetting searcher.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = _active_members()
        if not self.is_bound:
            self.initial.setdefault("valid_until", timezone.localdate().replace(year=timezone.localdate().year + 1))


class RevokeForm(forms.Form):
    reason = forms.CharField(label="Reason for revoking", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class ProcessForm(forms.Form):
    position = forms.CharField(label="Position", max_length=200)
    opens_on = forms.DateField(label="Opens on", widget=DateInput())
    closes_on = forms.DateField(label="Closes on", widget=DateInput())
    decision_makers = MembersChoiceField(
        label="Decision makers",
        queryset=None,
        to_field_name="username",
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text="They see only the released reports; none of them may search in this process.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision_makers"].queryset = _active_members()


class ParticipantForm(forms.Form):
    member = MemberChoiceField(label="Member", queryset=None, to_field_name="username")
    part = forms.ChoiceField(label="Part in this process", choices=ProcessMember.Part.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = _active_members()


class StepForm(forms.Form):
    platform = forms.CharField(label="Platform or source", max_length=120)
    query = forms.CharField(label="What to search", max_length=500)
    period = forms.CharField(label="Period", max_length=120, help_text="e.g. the last 7 years.")


class CandidateForm(forms.Form):
    name = forms.CharField(label="Candidate's name", max_length=200)
    applicant_number = forms.CharField(label="Applicant number", max_length=40)


class AttestationForm(forms.Form):
    """The lawful-methods checklist: every statement is a checkbox the searcher ticks (385.5.4(d))."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, text in ATTESTATION:
            self.fields[key] = forms.BooleanField(label=text, required=False)

    def attested(self) -> list[str]:
        return [key for key, _text in ATTESTATION if self.cleaned_data.get(key)]


class StepResultForm(forms.Form):
    outcome = forms.ChoiceField(label="Outcome", choices=StepResult.Outcome.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label="Reason", required=False, max_length=2000, help_text="Needed when the step is not applicable."
    )


class FindingForm(forms.Form):
    step = forms.ModelChoiceField(label="Checklist step", queryset=None, empty_label=None)
    source_url = forms.CharField(label="Source URL", max_length=1000)
    seen_on = forms.DateField(label="Date seen", widget=DateInput())
    content = forms.CharField(
        label="What was found",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=20000,
        help_text="What the public content says or shows, in your words or quoted.",
    )
    note = forms.CharField(label="Searcher's note", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    capture = forms.FileField(
        label="Capture", required=False, help_text="A screenshot (PNG, JPEG, GIF, WebP), a PDF or a saved page."
    )

    def __init__(self, *args, steps=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step"].queryset = steps
        self.fields["step"].label_from_instance = lambda s: f"Step {s.number}: {s.platform}"
        if not self.is_bound:
            self.initial.setdefault("seen_on", timezone.localdate())


class FlagDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        widget=forms.RadioSelect,
        choices=[
            (ProtectedFlag.Decision.REDACTED, "Redact the passage"),
            (ProtectedFlag.Decision.EXCLUDED, "Exclude the whole finding"),
            (ProtectedFlag.Decision.NOT_PROTECTED, "Not protected information (a second searcher reviews)"),
        ],
    )
    reason = forms.CharField(label="Reason", max_length=2000)


class CaptureDecisionForm(FlagDecisionForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [
            (ProtectedFlag.Decision.REDACTED, "Withhold: the capture shows protected information"),
            (ProtectedFlag.Decision.EXCLUDED, "Exclude the whole finding"),
            (ProtectedFlag.Decision.NOT_PROTECTED, "Shows no protected information (a second searcher reviews)"),
        ]


class FlagReviewForm(forms.Form):
    agree = forms.TypedChoiceField(
        label="Your review",
        widget=forms.RadioSelect,
        coerce=lambda v: v == "yes",
        choices=[("yes", "Agree: not protected information"), ("no", "Disagree: decide again")],
    )
    note = forms.CharField(label="Review note", required=False, max_length=2000, help_text="Needed when you disagree.")


class ValidationForm(forms.Form):
    validated = forms.TypedChoiceField(
        label="Validation",
        widget=forms.RadioSelect,
        coerce=lambda v: v == "yes",
        choices=[("yes", "Validated"), ("no", "Could not be validated")],
    )
    method = forms.ChoiceField(
        label="How it was validated", required=False, choices=[("", "—"), *Finding.Method.choices]
    )
    note = forms.CharField(label="Validation note", required=False, max_length=2000)


class RedactByHandForm(forms.Form):
    """A passage the filter did not flag, redacted by the searcher (385.5.4(d))."""

    field = forms.ChoiceField(
        label="Where",
        choices=[
            (ProtectedFlag.Field.CONTENT, "What was found"),
            (ProtectedFlag.Field.NOTE, "Searcher's note"),
            (ProtectedFlag.Field.SOURCE, "Source URL"),
        ],
    )
    passage = forms.CharField(label="Passage to redact", max_length=2000, strip=False, help_text="Copy it exactly.")
    category = forms.ChoiceField(label="What it reveals", choices=sorted(CATEGORIES.items(), key=lambda c: c[1]))
    reason = forms.CharField(label="Reason", max_length=2000)
