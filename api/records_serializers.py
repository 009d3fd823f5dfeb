"""Records, legal holds, public-records requests and exports, as the API shows and takes them."""

from django.contrib.auth import get_user_model
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from retention.exports.services import progress
from retention.models import Export, LegalHold, Record, RecordKind, RecordsRequest
from retention.search import ANY_STATUS

# Only what the export page offers: a transfer to the permanent archive starts from a disposition batch.
EXPORT_PURPOSES = [Export.Purpose.PUBLIC_RELEASE, Export.Purpose.EDISCOVERY]


# The largest id the database holds: a larger number names nothing, and is refused as input before it is looked up.
MAX_ID = 2**63 - 1


def id_field(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


@extend_schema_field(OpenApiTypes.STR)
class _StatusChoice(serializers.ChoiceField):
    pass


def status_field(choices, help_text: str = "", **kwargs) -> serializers.ChoiceField:
    """A status, checked against its choices, that the schema shows as a string with its values described.
    Not an enum there: posts, holds, requests, exports and others each have a `status` of their own, which the
    schema generator cannot name apart until each set is named in SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]."""
    values = "; ".join(f"`{value}`: {label}" for value, label in choices)
    return _StatusChoice(choices=choices, help_text=f"{help_text} One of {values}.".strip(), **kwargs)


# Records ---------------------------------------------------------------------------------------------------


class RecordSeriesRef(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()


class LegalHoldRef(serializers.Serializer):
    id = serializers.IntegerField()
    matter = serializers.CharField()
    reference = serializers.CharField(allow_blank=True)


class RecordsRequestRef(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    due_on = serializers.DateField()


class MediaFileRef(serializers.Serializer):
    sha256 = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()


class RecordSerializer(serializers.ModelSerializer):
    """A record as the search lists it; `holds` are the holds in force it is a member of."""

    status = status_field(Record.Status.choices, read_only=True)
    series = RecordSeriesRef(read_only=True, allow_null=True)
    channel_slugs = serializers.ListField(child=serializers.CharField(), read_only=True)
    holds = serializers.SerializerMethodField()

    class Meta:
        model = Record
        fields = [
            "id",
            "kind",
            "status",
            "title",
            "text",
            "author_username",
            "channel_slugs",
            "captured_at",
            "published_at",
            "series",
            "sha256",
            "holds",
        ]
        read_only_fields = fields

    @extend_schema_field(LegalHoldRef(many=True))
    def get_holds(self, record):
        # The list view reads the holds of a whole page at once (`holds_in_force`) and hands them over here.
        return LegalHoldRef(self.context.get("holds", {}).get(record.pk, []), many=True).data


class ScheduleVersionRef(serializers.Serializer):
    id = serializers.IntegerField()
    version = serializers.IntegerField()
    rule = serializers.CharField(source="describe", help_text="e.g. 2 years after publication, then destroy")
    citation = serializers.CharField()


class RecordDetailSerializer(RecordSerializer):
    """A record as captured: everything captured, its hash and whether the content still matches it, where it is
    filed, when it is due for disposition, and every hold and open request that keeps it."""

    content = serializers.DictField(read_only=True, help_text="Everything captured, in canonical form.")
    verified = serializers.BooleanField(
        source="verify", read_only=True, help_text="The content still hashes to `sha256` (always true once destroyed)."
    )
    parent = serializers.IntegerField(source="parent_id", read_only=True, allow_null=True)
    schedule = ScheduleVersionRef(read_only=True, allow_null=True)
    media = MediaFileRef(many=True, read_only=True)
    disposition_due_on = serializers.DateField(read_only=True, allow_null=True)
    holds = LegalHoldRef(many=True, read_only=True, source="holds_in_force")
    open_requests = RecordsRequestRef(many=True, read_only=True)

    class Meta(RecordSerializer.Meta):
        fields = [
            *RecordSerializer.Meta.fields,
            "source_type",
            "source_id",
            "source_version",
            "parent",
            "content",
            "verified",
            "schedule",
            "media",
            "disposition_due_on",
            "open_requests",
        ]
        read_only_fields = fields


class RecordVerificationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = status_field(Record.Status.choices)
    sha256 = serializers.CharField()
    verified = serializers.BooleanField(help_text="The content as stored still hashes to `sha256`.")


class RecordSearchSerializer(serializers.Serializer):
    """The records search: every criterion optional; none at all means every kept record."""

    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text='Every word must appear; "a phrase", -word to leave out, "or" between alternatives.',
    )
    phrase = serializers.CharField(required=False, allow_blank=True, max_length=200, help_text="Exactly these words.")
    series = id_field(required=False, allow_null=True, help_text="A record series id.")
    channel = serializers.CharField(required=False, allow_blank=True, max_length=100, help_text="A channel slug.")
    kind = serializers.ChoiceField(required=False, allow_blank=True, choices=RecordKind.choices)
    author = serializers.CharField(
        required=False, allow_blank=True, max_length=150, help_text="Username or commenter's name."
    )
    date_from = serializers.DateField(required=False, allow_null=True, help_text="Published (or captured) on or after.")
    date_to = serializers.DateField(required=False, allow_null=True, help_text="Published (or captured) on or before.")
    held = serializers.BooleanField(required=False, help_text="Only records under a legal hold in force.")
    legal_hold = id_field(required=False, allow_null=True, help_text="Only records held by this hold.")
    removed = serializers.BooleanField(required=False, help_text="Only content removed from public view.")
    status = status_field(
        [*Record.Status.choices, (ANY_STATUS, "Any status")],
        required=False,
        help_text="Kept records unless another status (or any) is asked for.",
    )
    records_request = id_field(
        required=False, allow_null=True, help_text="Only records attached to this public-records request."
    )


# Legal holds -----------------------------------------------------------------------------------------------


class LegalHoldSerializer(serializers.ModelSerializer):
    status = status_field(LegalHold.Status.choices, read_only=True)
    custodian = serializers.CharField(source="custodian.username", read_only=True)
    released_by = serializers.CharField(source="released_by.username", read_only=True, allow_null=True)
    channel_slugs = serializers.ListField(child=serializers.CharField(), read_only=True)
    people = serializers.ListField(child=serializers.CharField(), read_only=True)
    keywords = serializers.ListField(child=serializers.CharField(), read_only=True)
    picked = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, help_text="Records held by number, whatever the scope."
    )
    records_held = serializers.IntegerField(
        read_only=True, help_text="Records frozen by the hold; list them with GET /records/?legal_hold=<id>&status=any."
    )

    class Meta:
        model = LegalHold
        fields = [
            "id",
            "matter",
            "reference",
            "requested_by",
            "reason",
            "status",
            "custodian",
            "placed_at",
            "date_from",
            "date_to",
            "channel_slugs",
            "people",
            "keywords",
            "picked",
            "records_held",
            "released_at",
            "released_by",
            "release_reason",
        ]
        read_only_fields = fields


def _strings(help_text: str):
    return serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, default=list, help_text=help_text
    )


class PlaceHoldSerializer(serializers.Serializer):
    matter = serializers.CharField(max_length=200)
    reference = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    requested_by = serializers.CharField(max_length=200)
    reason = serializers.CharField(max_length=4000)
    date_from = serializers.DateField(required=False, allow_null=True, default=None)
    date_to = serializers.DateField(required=False, allow_null=True, default=None)
    channels = _strings("Channel slugs.")
    people = _strings("Author usernames or commenters' names.")
    keywords = _strings("Words in the title or text.")
    records = serializers.ListField(
        child=id_field(),
        required=False,
        default=list,
        max_length=10_000,
        help_text="Record numbers held whatever the scope.",
    )

    def validate_records(self, value):
        found = list(Record.objects.filter(pk__in=value))
        missing = sorted(set(value) - {record.pk for record in found})
        if missing:
            raise serializers.ValidationError(f"No such record: {', '.join(map(str, missing[:20]))}.")
        return found


class ReleaseHoldSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=4000)


# Public-records requests ------------------------------------------------------------------------------------


class RecordsRequestSerializer(serializers.ModelSerializer):
    status = status_field(RecordsRequest.Status.choices, read_only=True)
    assigned_to = serializers.CharField(source="assigned_to.username", read_only=True)
    logged_by = serializers.CharField(source="logged_by.username", read_only=True)
    closed_by = serializers.CharField(source="closed_by.username", read_only=True, allow_null=True)
    days_left = serializers.IntegerField(
        read_only=True, help_text="Days until the statutory due date (negative: late)."
    )
    records_attached = serializers.IntegerField(
        read_only=True, help_text="List them with GET /records/?records_request=<id>&status=any."
    )

    class Meta:
        model = RecordsRequest
        fields = [
            "id",
            "number",
            "requester",
            "requester_contact",
            "received_on",
            "description",
            "due_on",
            "days_left",
            "status",
            "assigned_to",
            "logged_by",
            "logged_at",
            "records_attached",
            "closed_at",
            "closed_by",
            "closing_note",
        ]
        read_only_fields = fields


class LogRecordsRequestSerializer(serializers.Serializer):
    number = serializers.CharField(
        max_length=40, required=False, allow_blank=True, default="", help_text="Empty: the next PRR-<year>-<n>."
    )
    requester = serializers.CharField(max_length=200)
    requester_contact = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    received_on = serializers.DateField(required=False, allow_null=True, default=None, help_text="Empty: today.")
    description = serializers.CharField(max_length=10_000)
    assigned_to = serializers.SlugRelatedField(
        slug_field="username",
        queryset=get_user_model().objects.filter(is_active=True),
        required=False,
        allow_null=True,
        default=None,
        help_text="The custodian's username; you, if empty.",
    )


class AttachRecordsSerializer(serializers.Serializer):
    records = serializers.ListField(
        child=id_field(),
        required=False,
        max_length=10_000,
        help_text="Record numbers to attach.",
    )
    search = RecordSearchSerializer(required=False, help_text="Or: attach every result of this search.")

    def validate(self, attrs):
        if ("records" in attrs) == ("search" in attrs):
            raise serializers.ValidationError({"records": "Give either the record numbers or a search, not both."})
        return attrs


class RecordsAttachedSerializer(serializers.Serializer):
    attached = serializers.IntegerField(help_text="Newly attached (attaching again is harmless).")
    request = RecordsRequestSerializer()


class CloseRecordsRequestSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(
        choices=[
            ("fulfilled", "Fulfilled: records released to the requester"),
            ("closed", "Closed without release (withdrawn, no such records, or exempt)"),
        ]
    )
    note = serializers.CharField(max_length=4000, help_text="How the request was answered.")


# Exports ---------------------------------------------------------------------------------------------------


class ExportProgressSerializer(serializers.Serializer):
    status_label = serializers.CharField()
    phase = serializers.CharField(allow_blank=True)
    done = serializers.IntegerField(help_text="Records written.")
    total = serializers.IntegerField()
    percent = serializers.IntegerField(min_value=0, max_value=100)
    eta_seconds = serializers.IntegerField(allow_null=True, help_text="Estimated time left while building.")
    finished = serializers.BooleanField(help_text="Done, failed or expired: nothing more will change.")
    error = serializers.CharField(allow_blank=True)


class ExportSerializer(serializers.ModelSerializer):
    status = status_field(Export.Status.choices, read_only=True)
    created_by = serializers.CharField(source="created_by.username", read_only=True)
    query = serializers.DictField(read_only=True, help_text="The search the records came from, if a search.")
    hold = serializers.IntegerField(source="hold_id", read_only=True, allow_null=True)
    request = serializers.IntegerField(source="request_id", read_only=True, allow_null=True)
    progress = serializers.SerializerMethodField()

    class Meta:
        model = Export
        fields = [
            "id",
            "purpose",
            "reason",
            "status",
            "progress",
            "query",
            "hold",
            "request",
            "include_pdf",
            "include_dat",
            "redact",
            "created_by",
            "created_at",
            "started_at",
            "finished_at",
            "expires_at",
            "file_name",
            "size",
            "sha256",
        ]
        read_only_fields = fields

    @extend_schema_field(ExportProgressSerializer)
    def get_progress(self, export):
        return ExportProgressSerializer(progress(export)).data


class RedactSpanSerializer(serializers.Serializer):
    record = id_field()
    text = serializers.CharField(max_length=2000, help_text="The words withheld, exactly as in the record.")
    reason = serializers.CharField(max_length=300)
    exemption = serializers.CharField(max_length=300, help_text="e.g. Cal. Gov. Code § 7927.700")


class StartExportSerializer(serializers.Serializer):
    purpose = serializers.ChoiceField(choices=[(p.value, p.label) for p in EXPORT_PURPOSES])
    reason = serializers.CharField(max_length=4000, help_text="Recorded in the chain of custody.")
    search = RecordSearchSerializer(required=False, help_text="The records of this search ({} = every kept record).")
    hold = id_field(required=False, help_text="Or: the records a legal hold freezes.")
    request = id_field(required=False, help_text="Or: the records attached to a request.")
    include_pdf = serializers.BooleanField(required=False, default=False)
    include_dat = serializers.BooleanField(required=False, default=False, help_text="A Concordance DAT load file.")
    redact = serializers.BooleanField(
        required=False, default=False, help_text="Redact personal information and confidential terms (public only)."
    )
    redact_spans = RedactSpanSerializer(many=True, required=False, default=list, help_text="Public release only.")
