import re

from django import forms

from .audit_trail import OUTCOME_ALL, OUTCOMES, TrailFilters

_VERB = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)*\.?$")
_OBJECT_TYPE = re.compile(r"^[a-z0-9_]+\.[a-z0-9_]+$")


class _DateInput(forms.DateInput):
    input_type = "date"


class TrailFilterForm(forms.Form):
    """The audit trail's filters, read from the address (GET): every field optional, all of them together."""

    actor = forms.CharField(
        label="Actor (username)",
        required=False,
        max_length=150,
        help_text="The username the action was recorded under, or “system” for what the server did on its own.",
    )
    verb = forms.CharField(
        label="Verb",
        required=False,
        max_length=64,
        help_text="An exact verb, such as post.approved, or its start ending in a dot, such as post., for all of "
        "that kind.",
    )
    object_type = forms.CharField(
        label="Object type",
        required=False,
        max_length=100,
        help_text="app.model, such as posts.post or retention.legalhold.",
    )
    object_id = forms.CharField(label="Object id", required=False, max_length=64)
    date_from = forms.DateField(
        label="From",
        required=False,
        widget=_DateInput,
        help_text="The day in the department's time zone. YYYY-MM-DD.",
        error_messages={"invalid": "Enter a date as YYYY-MM-DD, for example 2026-03-01."},
    )
    date_to = forms.DateField(
        label="To",
        required=False,
        widget=_DateInput,
        help_text="Inclusive. YYYY-MM-DD.",
        error_messages={"invalid": "Enter a date as YYYY-MM-DD, for example 2026-03-31."},
    )
    outcome = forms.ChoiceField(
        label="Outcome",
        required=False,
        choices=OUTCOMES,
        initial=OUTCOME_ALL,
        help_text="Refused or failed: a failed login or second factor, a refused enrolment code, a failed "
        "publication or export, a delivery stopped at sending.",
    )

    def clean_verb(self):
        verb = self.cleaned_data["verb"].strip().lower()
        if verb and not _VERB.match(verb):
            raise forms.ValidationError(
                "A verb is lower-case words joined by dots, such as post.approved, or its start, such as post."
            )
        return verb

    def clean_object_type(self):
        object_type = self.cleaned_data["object_type"].strip().lower()
        if object_type and not _OBJECT_TYPE.match(object_type):
            raise forms.ValidationError("An object type is app.model, such as posts.post.")
        return object_type

    def clean_actor(self):
        return self.cleaned_data["actor"].strip()

    def clean_object_id(self):
        return self.cleaned_data["object_id"].strip()

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", "“To” must not be before “From”.")
        return data

    def filters(self) -> TrailFilters:
        data = self.cleaned_data
        return TrailFilters(
            actor=data["actor"],
            verb=data["verb"],
            object_type=data["object_type"],
            object_id=data["object_id"],
            date_from=data["date_from"],
            date_to=data["date_to"],
            outcome=data["outcome"] or OUTCOME_ALL,
        )
