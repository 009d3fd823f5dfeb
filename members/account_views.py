"""Log in, two-factor verification and enrolment (TOTP, django-otp), log out."""

import base64
import io

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.audit import record_event
from core.errors import DomainError

from .accounts import redeem_enrolment_code
from .forms import EnrolmentCodeForm, TwoFactorForm, add_domain_error
from .permissions import requires_two_factor
from .second_factor import mark_second_factor

ENROLMENT_SESSION_KEY = "enrolment_code_accepted_for"


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True


def _next_url(request, default="/"):
    target = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


@never_cache
@sensitive_post_parameters("token")
@login_required
@require_http_methods(["GET", "POST"])
def verify(request):
    """Second step of logging in for members whose role requires two-factor."""
    if request.user.is_verified():
        return redirect(_next_url(request))
    if not TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect(f"/accounts/two-factor/setup/?next={_next_url(request)}")
    form = TwoFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _second_factor_given(request, form, passed="login.two_factor_verified", failed="login.two_factor_failed"):
            return redirect(_next_url(request))
    return render(request, "registration/verify.html", {"form": form, "next": _next_url(request)})


def _second_factor_given(request, form, *, passed: str, failed: str) -> bool:
    """Check the form's code against the member's devices (throttled after wrong codes); audited either way."""
    throttled = _throttled_until(request.user)
    if throttled:
        form.add_error(
            "token",
            f"Too many wrong codes. Wait until {timezone.localtime(throttled):%H:%M:%S}, then enter the current code.",
        )
        return False
    device = match_token(request.user, form.cleaned_data["token"])
    if device is None:
        record_event(request.user, failed, request.user)
        form.add_error("token", "That code is not valid. Codes change every 30 seconds; try the current one.")
        return False
    otp_login(request, device)
    mark_second_factor(request)
    record_event(request.user, passed, request.user)
    return True


def _throttled_until(user):
    """When every confirmed device is throttled after wrong codes, the time the earliest unlocks."""
    waits = []
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        allowed, info = device.verify_is_allowed()
        if allowed:
            return None
        waits.append((info or {}).get("locked_until") or timezone.now())
    return min(waits) if waits else None


def _qr_svg(uri: str) -> str:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


@never_cache
@sensitive_post_parameters("token")
@login_required
@require_http_methods(["GET", "POST"])
def setup(request):
    """Enrol an authenticator app: shows the secret (and a QR code), confirms with one code. A member who needs
    two-factor and has no device yet first gives the enrolment code the Chief, the designee or an administrator
    issued: holding the password alone does not let anyone set up the second factor."""
    has_device = TOTPDevice.objects.filter(user=request.user, confirmed=True).exists()
    if has_device and not request.user.is_verified():
        return redirect("accounts:verify")
    if not has_device and requires_two_factor(request.user):
        if request.session.get(ENROLMENT_SESSION_KEY) != request.user.pk:
            return _enrolment_code(request)
    device, _ = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "Authenticator app"}
    )
    form = TwoFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            mark_second_factor(request)
            request.session.pop(ENROLMENT_SESSION_KEY, None)
            record_event(request.user, "two_factor.enrolled", request.user)
            messages.success(request, "Two-factor authentication is set up.")
            return redirect(_next_url(request))
        form.add_error("token", "That code is not valid. Check the time on your phone and try the current code.")
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return render(
        request,
        "registration/two_factor_setup.html",
        {"form": form, "secret": secret, "qr": _qr_svg(device.config_url), "next": _next_url(request)},
    )


def _enrolment_code(request):
    form = EnrolmentCodeForm(request.POST if request.method == "POST" and "code" in request.POST else None)
    if form.is_bound and form.is_valid():
        try:
            redeem_enrolment_code(member=request.user, code=form.cleaned_data["code"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            request.session[ENROLMENT_SESSION_KEY] = request.user.pk
            return redirect(f"/accounts/two-factor/setup/?next={_next_url(request)}")
    return render(request, "registration/enrolment_code.html", {"form": form, "next": _next_url(request)})


@never_cache
@sensitive_post_parameters("token")
@login_required
@require_http_methods(["GET", "POST"])
def confirm(request):
    """Step-up: give the second factor again before a sensitive act."""
    if not TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect(f"/accounts/two-factor/setup/?next={_next_url(request)}")
    form = TwoFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _second_factor_given(request, form, passed="two_factor.confirmed", failed="two_factor.confirm_failed"):
            return redirect(_next_url(request))
    return render(request, "registration/confirm.html", {"form": form, "next": _next_url(request)})


class LogoutView(auth_views.LogoutView):
    pass
