from django import forms

from members.models import Role

from .models import Export, MediaDecision, Record, RecordSeries, RetentionSchedule


class DeterminationForm(forms.Form):
    record = forms.IntegerField(widget=forms.HiddenInput)
    series = forms.ModelChoiceField(label="Series", queryset=RecordSeries.objects.order_by("code"))
    city_attorney_consulted = forms.BooleanField(label="The City Attorney was consulted (385.7)", required=False)
    make_rule = forms.BooleanField(label="File records like this one the same way from now on", required=False)
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class HoldForm(forms.Form):
    matter = forms.CharField(label="Matter", max_length=200)
    reference = forms.CharField(label="Case or request number", max_length=100, required=False)
    requested_by = forms.CharField(label="Requested by", max_length=200)
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 2}))
    date_from = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    channels = forms.CharField(label="Channels (slugs, comma-separated)", required=False)
    people = forms.CharField(label="People (usernames or names, comma-separated)", required=False)
    keywords = forms.CharField(label="Keywords (comma-separated)", required=False)
    records = forms.CharField(label="Record numbers (comma-separated)", required=False)

    def clean_records(self):
        raw = [v.strip().lstrip("#") for v in self.cleaned_data["records"].split(",") if v.strip()]
        if not all(v.isdigit() for v in raw):
            raise forms.ValidationError("Give record numbers, e.g. 12, 15.")

        found = list(Record.objects.filter(pk__in=[int(v) for v in raw]))
        missing = sorted(set(int(v) for v in raw) - {r.pk for r in found})
        if missing:
            raise forms.ValidationError(f"No such record: {', '.join(map(str, missing))}.")
        return found


class ReleaseForm(forms.Form):
    reason = forms.CharField(label="Reason for releasing", widget=forms.Textarea(attrs={"rows": 2}))


class ScanForm(forms.Form):
    as_of = forms.DateField(label="Retention as of", widget=forms.DateInput(attrs={"type": "date"}))


class ScheduleForm(forms.Form):
    period = forms.IntegerField(label="Period", required=False, min_value=1)
    unit = forms.ChoiceField(label="Unit", choices=RetentionSchedule.Unit.choices)
    review_on = forms.DateField(
        label="Review on (for administrative value)", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    trigger = forms.ChoiceField(label="Starts at", choices=RetentionSchedule.Trigger.choices)
    action = forms.ChoiceField(label="Then", choices=RetentionSchedule.Action.choices)
    citation = forms.CharField(label="Legal citation", max_length=300)


class RecordsRequestForm(forms.Form):
    number = forms.CharField(
        label="Request number",
        max_length=40,
        required=False,
        help_text="Leave empty to number it PRR-<year>-<sequence>.",
    )
    requester = forms.CharField(label="Requester", max_length=200)
    requester_contact = forms.CharField(
        label="Requester's contact (e-mail, phone or address)", max_length=200, required=False
    )
    received_on = forms.DateField(label="Received on", widget=forms.DateInput(attrs={"type": "date"}))
    description = forms.CharField(label="Records asked for", widget=forms.Textarea(attrs={"rows": 3}))
    assigned_to = forms.ModelChoiceField(
        label="Assigned custodian", queryset=None, required=False, help_text="You, unless you choose another custodian."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        self.fields["assigned_to"].queryset = (
            get_user_model().objects.filter(is_active=True, groups__name=Role.CUSTODIAN).order_by("username")
        )


class CloseRequestForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Outcome",
        widget=forms.RadioSelect,
        choices=[
            ("fulfilled", "Fulfilled: records released to the requester"),
            ("closed", "Closed without release (withdrawn, no such records, or exempt)"),
        ],
    )
    note = forms.CharField(label="How the request was answered", widget=forms.Textarea(attrs={"rows": 2}))


class ExportForm(forms.Form):
    purpose = forms.ChoiceField(
        label="Purpose",
        choices=Export.Purpose.choices[:2],
        widget=forms.RadioSelect,
        initial=Export.Purpose.PUBLIC_RELEASE,
    )
    reason = forms.CharField(label="Why (recorded in the chain of custody)", widget=forms.Textarea(attrs={"rows": 2}))
    include_pdf = forms.BooleanField(label="A PDF rendition of each record", required=False)
    include_dat = forms.BooleanField(
        label="A Concordance DAT load file (for e-discovery review platforms)", required=False
    )
    redact = forms.BooleanField(
        label="Redact personal information and confidential-registry terms (public release only)", required=False
    )
    redact_spans = forms.CharField(
        label="Also redact (one per line: record number | text | reason | exemption)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="E.g. 12 | Jane Roe | Name of a witness | Cal. Gov. Code § 7927.700. Public release only.",
    )

    def __init__(self, *args, pdf_available: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not pdf_available:
            field = self.fields["include_pdf"]
            field.disabled = True
            field.help_text = (
                "Not available on this server: WeasyPrint needs the Pango libraries "
                "(apt-get install libpango-1.0-0 libpangoft2-1.0-0)."
            )

    def clean_redact_spans(self):
        spans = []
        for number, line in enumerate(self.cleaned_data["redact_spans"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            if len(parts) != 4 or not all(parts):
                raise forms.ValidationError(f"Line {number}: give record number | text | reason | exemption.")
            record = parts[0].lstrip("#")
            if not record.isdigit():
                raise forms.ValidationError(f"Line {number}: “{parts[0]}” is not a record number.")
            spans.append({"record": int(record), "text": parts[1], "reason": parts[2], "exemption": parts[3]})
        return spans


class MediaDecisionForm(forms.Form):
    """The custodian's decision on one media file of a public release; the service checks the combinations."""

    decision = forms.ChoiceField(label="Decision", choices=MediaDecision.Decision.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label="Reason (listed in the redaction log)",
        required=False,
        max_length=300,
        help_text="What is withheld or masked, e.g. Face of a juvenile witness. Not needed to release as published.",
    )
    exemption = forms.CharField(
        label="Exemption",
        required=False,
        max_length=300,
        help_text="The exemption that allows it, e.g. Cal. Gov. Code § 7922.000.",
    )
    redacted_file = forms.FileField(
        label="Redacted version",
        required=False,
        help_text="Only to release a redacted version: the image, video or PDF with the redactions made.",
    )

    def __init__(self, *args, sha256: str, **kwargs):
        # One form per file on the export page: ids unique per file, names as the service calls them.
        super().__init__(*args, auto_id=f"id_{sha256[:16]}_%s", **kwargs)
