import json

from django import forms
from django.contrib.auth import get_user_model

from members.forms import DateTimeLocalInput

from .models import Category, Channel, Incident, MediaPermission
from .publishing.base import publishable_kinds
from .services import TRANSLATION_LANGUAGES


class ChannelForm(forms.ModelForm):
    class Meta:
        model = Channel
        fields = [
            "name",
            "kind",
            "handle",
            "url",
            "is_active",
            "disclaimer_opinions",
            "disclaimer_moderation",
            "disclaimer_public_records",
            "comments_require_review",
            "api_base_url",
            "external_account_id",
        ]
        labels = {"url": "URL", "is_active": "In use"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only types it can publish to; a channel of an older type keeps showing its own.
        allowed = set(publishable_kinds()) | ({self.instance.kind} if self.instance.pk else set())
        self.fields["kind"].choices = [(k, label) for k, label in Channel.Kind.choices if k in allowed]


class GuidelineTemplateForm(forms.Form):
    name = forms.CharField(label="Name", max_length=120)
    category = forms.ChoiceField(label="Category", choices=[("", "Choose a category (385.4)")] + list(Category.choices))
    body = forms.CharField(
        label="Fixed wording",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Write fields to fill in as {road}, {detour}, {until}.",
    )
    fields_json = forms.CharField(
        label="Field labels and limits (JSON)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text='Optional, e.g. [{"name": "road", "label": "Road", "max_length": 80}].',
    )
    guidance = forms.CharField(label="When to use it", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    is_active = forms.BooleanField(label="In use", required=False, initial=True)

    def clean_fields_json(self):
        raw = self.cleaned_data["fields_json"].strip()
        if not raw:
            return []
        try:
            value = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(f"Not valid JSON: {exc.msg} (line {exc.lineno}).") from exc
        if not isinstance(value, list) or not all(isinstance(v, dict) and v.get("name") for v in value):
            raise forms.ValidationError('Give a list of objects, each with a "name".')
        return value


class PostingSettingsForm(forms.Form):
    require_approval_for_all = forms.BooleanField(
        label="Every post needs supervisor approval, even when it conforms to a guideline (385.3)", required=False
    )


class IncidentForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200)
    kind = forms.ChoiceField(label="Kind", choices=[("", "Choose")] + list(Incident.Kind.choices))
    location = forms.CharField(label="Location", max_length=200, required=False)
    commander = forms.ModelChoiceField(label="Incident Commander", queryset=None)
    social_media_officer = forms.ModelChoiceField(label="Social Media Officer", queryset=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        users = get_user_model().objects.filter(is_active=True).order_by("last_name", "first_name")
        self.fields["commander"].queryset = users
        self.fields["social_media_officer"].queryset = users
        for name in ("commander", "social_media_officer"):
            self.fields[name].label_from_instance = lambda u: u.get_full_name() or u.get_username()


class _PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.get_username()


def _active_people():
    return get_user_model().objects.filter(is_active=True).order_by("last_name", "first_name")


class TransferCommandForm(forms.Form):
    commander = _PersonChoice(label="New Incident Commander", queryset=None)
    reason = forms.CharField(label="Reason for the handover", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_transfer_%s")
        super().__init__(*args, **kwargs)
        self.fields["commander"].queryset = _active_people()


class BackupApproverForm(forms.Form):
    backup_approver = _PersonChoice(
        label="Backup approver", queryset=None, required=False, help_text="Leave empty to end the backup's part."
    )
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_backup_%s")
        super().__init__(*args, **kwargs)
        self.fields["backup_approver"].queryset = _active_people()


class ReopenIncidentForm(forms.Form):
    reason = forms.CharField(label="Why it is reopened", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class PostRequestForm(forms.Form):
    text = forms.CharField(label="What should be posted", widget=forms.Textarea(attrs={"rows": 5}))
    reason = forms.CharField(label="Why", widget=forms.Textarea(attrs={"rows": 3}))
    attachment = forms.FileField(
        label="Attachment (optional)", required=False, help_text="An image, video or PDF to go with it."
    )


class ConvertRequestForm(forms.Form):
    title = forms.CharField(label="Title", max_length=200)
    body = forms.CharField(label="Body", widget=forms.Textarea(attrs={"rows": 6}))
    category = forms.ChoiceField(label="Category", choices=[("", "Choose a category (385.4)")] + list(Category.choices))
    channels = forms.ModelMultipleChoiceField(label="Channels", queryset=None, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, attachments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channels"].queryset = Channel.objects.filter(is_active=True).order_by("name")
        # Each image the requester sent goes into the draft, and needs its description (385.5.2).
        for attachment in attachments:
            if attachment.content_type.startswith("image/"):
                self.fields[f"alt_text_{attachment.pk}"] = forms.CharField(
                    label=f"Alt text for “{attachment.original_name}”",
                    max_length=500,
                    help_text="What the image shows, for people who cannot see it.",
                )

    @property
    def alt_texts(self) -> dict[int, str]:
        return {
            int(name.removeprefix("alt_text_")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("alt_text_")
        }


class DeclineRequestForm(forms.Form):
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 3}))


class MediaPermissionForm(forms.Form):
    description = forms.CharField(label="What it covers", max_length=300)
    granted_by_name = forms.CharField(label="Granted by", max_length=200)
    granted_on = forms.DateField(label="Granted on", widget=forms.DateInput(attrs={"type": "date"}))
    document = forms.FileField(label="Signed permission")


class PublicCommentForm(forms.Form):
    name = forms.CharField(label="Name", max_length=100, help_text="Shown with your comment.")
    email = forms.EmailField(label="E-mail (optional)", required=False, help_text="Not published.")
    # The length limit is the service's, so the message is the same for every way a comment arrives.
    text = forms.CharField(label="Comment", widget=forms.Textarea(attrs={"rows": 5, "maxlength": 5000}))
    # Left empty by people (it is hidden from view and from assistive technology); robots fill it in.
    website = forms.CharField(
        label="Leave this field empty",
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )


class PostForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=200,
        required=False,
        help_text="The public headline: published on the website and in feeds, and screened like the body.",
    )
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
    captions = forms.FileField(
        label="Captions (WebVTT)",
        required=False,
        help_text="For a video: its captions as a .vtt file, so it can be followed without sound.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)

        self.fields["media_permission"].queryset = MediaPermission.objects.order_by("-granted_on")
