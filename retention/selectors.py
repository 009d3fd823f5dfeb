"""Read queries for the records custodian's work, a fixed number of queries whatever the size."""

from django.db.models import Count, Q
from django.utils import timezone

from .models import DispositionBatch, Export, FixityCheck, LegalHold, Record, RecordsRequest
from .permissions import can_keep_records


def records_work(user, *, rows: int = 5) -> dict:
    """What is waiting for a keeper or reader of records: public-records requests by days left, exports ready to
    download, disposition batches to review, active holds, the last fixity check, records needing a series."""
    today = timezone.localdate()
    requests = list(
        RecordsRequest.objects.filter(status=RecordsRequest.Status.OPEN)
        .order_by("due_on", "pk")
        .only("pk", "number", "requester", "due_on")[:rows]
    )
    for item in requests:
        item.left = item.days_left(today)
        item.overdue = max(0, -item.left)
    ready = Export.objects.filter(status=Export.Status.DONE).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())
    )
    if not can_keep_records(user):
        ready = ready.filter(created_by=user)
    return {
        "requests": requests,
        "requests_open": RecordsRequest.objects.filter(status=RecordsRequest.Status.OPEN).count(),
        "exports_ready": list(ready.order_by("-finished_at", "-pk")[:rows]),
        "batches": list(
            DispositionBatch.objects.filter(status=DispositionBatch.Status.OPEN)
            .annotate(items_count=Count("items"))
            .order_by("created_at")[:rows]
        ),
        "holds_active": LegalHold.objects.filter(status="active").count(),
        "fixity": FixityCheck.objects.order_by("-started_at").first(),
        "undetermined": Record.objects.filter(series__isnull=True, status="active").count(),
    }
