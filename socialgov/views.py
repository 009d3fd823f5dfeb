from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.defaults import page_not_found

from core.checkpoints import latest_checkpoint, recent_verifications, uses_separate_key
from core.models import AuditEvent
from members import permissions as member_permissions
from members import selectors as member_selectors
from members.models import Role
from moderation.selectors import age, review_queue_for
from oversight.selectors import oversight_work
from posts.models import Post, PostRequest
from posts.permissions import can_draft, can_handle_post_requests, can_manage_channels
from posts.public_views import not_found as website_not_found
from posts.selectors import held_posts, publications_needing_attention
from retention.permissions import can_view_records
from retention.selectors import records_work

from .celery import app as celery_app
from .permissions import can_read_health_details, require_audit_integrity_reader


def _database_ok() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return True, connection.vendor
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        return False, type(exc).__name__


# A load balancer's probe gives up after a few seconds: a broker that does not answer within this is down.
BROKER_PROBE_SECONDS = 0.5


def _broker_ok() -> tuple[bool, str]:
    try:
        with celery_app.connection_for_write(
            connect_timeout=BROKER_PROBE_SECONDS,
            transport_options={"socket_connect_timeout": BROKER_PROBE_SECONDS, "socket_timeout": BROKER_PROBE_SECONDS},
        ) as conn:
            # One attempt: retrying would wait two seconds before the second.
            conn.ensure_connection(max_retries=0, timeout=BROKER_PROBE_SECONDS)
            return True, conn.transport_cls if isinstance(conn.transport_cls, str) else conn.transport.driver_type
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        return False, type(exc).__name__


@require_GET
def favicon(request):
    # Resolved per request: the static manifest exists only after collectstatic.
    return redirect(static("favicon.svg"), permanent=True)


@never_cache
@require_GET
def healthz(request):
    """Up or down for anyone (a load balancer, a monitor); which check failed, the database vendor and the error
    class only for signed-in staff, since they tell an attacker what the server runs and what just broke."""
    db_ok, db_info = _database_ok()
    broker_ok, broker_info = _broker_ok()
    ok = db_ok and broker_ok
    body = {"status": "ok" if ok else "down"}
    if can_read_health_details(request.user):
        body["database"] = {"ok": db_ok, "detail": db_info}
        body["broker"] = {"ok": broker_ok, "detail": broker_info}
    return JsonResponse(body, status=200 if ok else 503)


@login_required
def dashboard(request):
    user = request.user
    roles = member_permissions.role_names(user)
    context = {
        "roles": sorted(roles),
        "training_problems": member_permissions.training_reasons(user),
    }
    if member_permissions.can_grant_authorization(user) or Role.SUPERVISOR in roles:
        context["expiring_training"] = member_selectors.expiring_training(within_days=30)
        context["active_authorizations"] = member_selectors.active_authorizations()
    if roles & {Role.CHIEF, Role.DESIGNEE, Role.REVIEWER}:
        context["recent_events"] = list(AuditEvent.objects.select_related("actor").order_by("-seq")[:10])
    if can_view_records(user):
        context["records_work"] = records_work(user)
    context["own_authorizations"] = [a for a in user.authorizations.all() if a.is_active()]
    # Posting authorization and training are shown to members who post, or were authorized to.
    context["posts"] = can_draft(user) or bool(context["own_authorizations"])
    context.update(_work(user))
    context.update(oversight_work(user))
    return render(request, "dashboard.html", context)


@login_required
@require_GET
def audit_integrity(request):
    """The audit trail's recent verifications and its newest signed checkpoint."""
    require_audit_integrity_reader(request.user)
    verifications = recent_verifications(30)
    return render(
        request,
        "audit/integrity.html",
        {
            "latest": verifications[0] if verifications else None,
            "verifications": verifications,
            "checkpoint": latest_checkpoint(),
            "separate_key": uses_separate_key(),
        },
    )


def _work(user) -> dict:
    """Each role's work, a few rows each, in a fixed number of queries."""

    work = {}
    queue = review_queue_for(user)
    awaiting = list(queue[:5])
    if awaiting or member_permissions.has_role(user, Role.SUPERVISOR):
        work["awaiting"] = [{"post": p, "age": age(p.submitted_at)} for p in awaiting]
        work["awaiting_count"] = queue.count() if len(awaiting) == 5 else len(awaiting)
    if can_draft(user):
        work["my_posts"] = list(
            Post.objects.filter(
                author=user,
                status__in=[
                    Post.Status.DRAFT,
                    Post.Status.CHANGES_REQUESTED,
                    Post.Status.APPROVED,
                    Post.Status.SCHEDULED,
                ],
            ).order_by("-updated_at")[:8]
        )
    if can_handle_post_requests(user):
        work["open_requests"] = list(
            PostRequest.objects.filter(status=PostRequest.Status.OPEN)
            .select_related("requester")
            .order_by("created_at")[:5]
        )
    if can_manage_channels(user) or member_permissions.has_role(user, Role.SUPERVISOR):
        work["failing_publications"] = publications_needing_attention()
        work["held_posts"] = held_posts()
        work["can_retry"] = can_manage_channels(user)
    work["my_requests"] = list(PostRequest.objects.filter(requester=user).order_by("-created_at")[:3])
    return work


def not_found(request, exception=None):
    """404: the department website's own page for its addresses (in their language); the staff page elsewhere."""
    return website_not_found(request) or page_not_found(request, exception)
