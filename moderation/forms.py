from datetime import timedelta

from django import forms
from django.utils import timezone

from members.forms import DateTimeLocalInput
from posts.models import Category, Channel, Incident, MediaPermission, Post
from posts.services import TRANSLATION_LANGUAGES

from .models import ContentReport


class PostForm(forms.Form):
    title = forms.CharField(label="Title", max_length=200, required=False, help_text="Internal; not published.")
    body = forms.CharField(label="Body", required=False, widget=forms.Textarea(attrs={"rows": 8}))
    category = forms.ChoiceField(
        label="Category", required=False, choices=[("", "Choose a category (385.4)")] + list(Category.choices)
    )
    channels = forms.ModelMultipleChoiceField(
        label="Channels", queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    scheduled_for = forms.DateTimeField(
        label="Publish at",
        required=False,
        widget=DateTimeLocalInput(),
        help_text="Leave empty to publish when approved.",
    )
    translation_language = forms.ChoiceField(
        label="Translation language",
        required=False,
        choices=[("", "No translation")] + sorted(TRANSLATION_LANGUAGES.items(), key=lambda kv: kv[1]),
    )
    translation_body = forms.CharField(
        label="Translation",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Reviewed together with the original.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, template=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channels"].queryset = Channel.objects.filter(is_active=True).order_by("name")
        self.template = template
        if template is not None:
            self.fields["body"].help_text = (
                "Leave empty to use the guideline's fixed wording. Any change to the wording means the post needs "
                "supervisor approval (385.3)."
            )
            specs = template.field_specs()
            extra = {
                f"tpl_{spec['name']}": forms.CharField(
                    label=spec["label"], max_length=spec["max_length"], required=False, help_text=spec["help"]
                )
                for spec in specs
            }
            # Template fields come first: they are what the author fills in.
            self.fields = {**extra, **self.fields}

    def template_values(self) -> dict:
        return {name[4:]: value for name, value in self.cleaned_data.items() if name.startswith("tpl_")}


class IncidentUpdateForm(PostForm):
    incident = forms.ModelChoiceField(queryset=Incident.objects.none(), widget=forms.HiddenInput)


class AttachmentForm(forms.Form):
    file = forms.FileField(label="File", help_text="Image, video or PDF. Checked by its content.")
    alt_text = forms.CharField(
        label="Alt text",
        required=False,
        max_length=500,
        help_text="Required for images: describe what the image shows.",
    )
    shows_department_activity = forms.BooleanField(
        label="Shows department training, activities or work assignments (385.5.2(b))", required=False
    )
    media_permission = forms.ModelChoiceField(
        label="Written permission",
        required=False,
        queryset=None,
        help_text="Required before approval when the box above is ticked.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)

        self.fields["media_permission"].queryset = MediaPermission.objects.order_by("-granted_on")


class ReasonForm(forms.Form):
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ApproveForm(forms.Form):
    note = forms.CharField(
        label="Note to the author (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class RequestChangesForm(forms.Form):
    quote = forms.CharField(
        label="Passage", required=False, max_length=1000, help_text="Copy the words your comment is about (optional)."
    )
    comment = forms.CharField(label="Comment on the passage", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    note = forms.CharField(label="What should change", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class RejectForm(forms.Form):
    reason = forms.CharField(label="Reason for rejecting", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ContentReportForm(forms.Form):
    link = forms.URLField(label="Link to the content", required=False, max_length=500,
                          help_text="Where you saw it, e.g. the address of the post or comment.")
    post = forms.ModelChoiceField(label="Or the department post", required=False, queryset=None,
                                  help_text="Published posts, newest first.")
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


class DateRangeForm(forms.Form):
    date_from = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
