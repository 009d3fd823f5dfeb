from django import forms

from .models import RecordSeries


class DeterminationForm(forms.Form):
    record = forms.IntegerField(widget=forms.HiddenInput)
    series = forms.ModelChoiceField(label="Series", queryset=RecordSeries.objects.order_by("code"))
    city_attorney_consulted = forms.BooleanField(label="The City Attorney was consulted (385.7)", required=False)
    make_rule = forms.BooleanField(label="File records like this one the same way from now on", required=False)
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 2}))
