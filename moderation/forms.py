from datetime import timedelta

from django import forms
from django.utils import timezone

from posts.models import Post

from .models import ContentReport


class ReasonForm(forms.Form):
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 3}), required=False)


class _DecisionForm(forms.Form):
    """The review page shows the three decisions' forms together: each names its fields' ids apart, so every
    label (two are about a "note") belongs to its own field."""

    id_prefix = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"id_{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class ApproveForm(_DecisionForm):
    id_prefix = "approve"
    note = forms.CharField(
        label="Note to the author (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class RequestChangesForm(_DecisionForm):
    id_prefix = "changes"
    quote = forms.CharField(
        label="Passage", required=False, max_length=1000, help_text="Copy the words your comment is about (optional)."
    )
    comment = forms.CharField(label="Comment on the passage", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    note = forms.CharField(label="What should change", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class RejectForm(_DecisionForm):
    id_prefix = "reject"
    reason = forms.CharField(label="Reason for rejecting", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ContentReportForm(forms.Form):
    link = forms.URLField(
        label="Link to the content",
        required=False,
        max_length=500,
        help_text="Where you saw it, e.g. the address of the post or comment.",
    )
    post = forms.ModelChoiceField(
        label="Or the department post", required=False, queryset=None, help_text="Published posts, newest first."
    )
    section = forms.ChoiceField(label="What it breaks", choices=[("", "Choose a part of 385.5")])
    description = forms.CharField(label="What is wrong", widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)

        # Not sliced: the field validates the choice with a query on this queryset.
        recent = timezone.now() - timedelta(days=365)
        self.fields["post"].queryset = Post.objects.filter(
            status=Post.Status.PUBLISHED, published_at__gte=recent
        ).order_by("-published_at")
        self.fields["section"].choices = [("", "Choose a part of 385.5")] + list(ContentReport.Section.choices)


class InvestigationForm(forms.Form):
    how_posted = forms.CharField(label="How it got posted", widget=forms.Textarea(attrs={"rows": 2}))
    posted_by = forms.CharField(label="By whom", widget=forms.Textarea(attrs={"rows": 1}))
    control_failed = forms.CharField(label="Which control failed", widget=forms.Textarea(attrs={"rows": 2}))


class ResolveForm(forms.Form):
    resolution = forms.CharField(label="Resolution", widget=forms.Textarea(attrs={"rows": 3}))


class CloseReportForm(forms.Form):
    outcome = forms.ChoiceField(label="Outcome", choices=ContentReport.Outcome.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label="Why the content stays up",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The reporter reads this.",
        max_length=5000,
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_close_%s")
        super().__init__(*args, **kwargs)


class DateRangeForm(forms.Form):
    date_from = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
