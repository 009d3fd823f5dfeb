from django import forms

from .models import RecordSeries


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
        from .models import Record

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
    from .models import RetentionSchedule as _S

    period = forms.IntegerField(label="Period", required=False, min_value=1)
    unit = forms.ChoiceField(label="Unit", choices=_S.Unit.choices)
    review_on = forms.DateField(label="Review on (for administrative value)", required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    trigger = forms.ChoiceField(label="Starts at", choices=_S.Trigger.choices)
    action = forms.ChoiceField(label="Then", choices=_S.Action.choices)
    citation = forms.CharField(label="Legal citation", max_length=300)
