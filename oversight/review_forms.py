from django import forms

from members.forms import DateInput

from .review import appointable_reviewers


class ReviewerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.get_full_name() or obj.get_username()} ({obj.get_username()})"


class AppointForm(forms.Form):
    reviewer = ReviewerChoiceField(label="Reviewer (a supervisor)", queryset=None, to_field_name="username")
    period_start = forms.DateField(label="Review period from", widget=DateInput())
    period_end = forms.DateField(label="Review period to", widget=DateInput())
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = appointable_reviewers()


class WriteUpForm(forms.Form):
    findings = forms.CharField(
        label="Findings",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="What the figures show about the department's use of social media (385.6).",
    )
    recommendations = forms.CharField(
        label="Recommendations",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="One recommendation per line; next year's report says what became of each.",
    )

    def __init__(self, *args, follow_ups=(), **kwargs):
        super().__init__(*args, **kwargs)
        for i, item in enumerate(follow_ups):
            self.fields[f"follow_up_{i}"] = forms.CharField(
                label=f"What became of: {item['text']}",
                required=False,
                initial=item.get("follow_up", ""),
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        self.follow_up_count = len(follow_ups)

    def follow_up_answers(self) -> list[str]:
        return [self.cleaned_data.get(f"follow_up_{i}", "") for i in range(self.follow_up_count)]


class ReturnForm(forms.Form):
    reason = forms.CharField(label="What should change", widget=forms.Textarea(attrs={"rows": 3}))
