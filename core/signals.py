"""Successful and failed logins, and logouts, are audit events."""

import time

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .audit import record_event
from .middleware import SESSION_STARTED_KEY
from .net import client_ip


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        # The 12-hour absolute lifetime counts from here (AbsoluteSessionTimeoutMiddleware).
        request.session[SESSION_STARTED_KEY] = time.time()
    record_event(user, "login.succeeded", user, ip=client_ip(request) if request else None)


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        record_event(user, "logout", user, ip=client_ip(request) if request else None)


@receiver(user_login_failed)
def audit_login_failed(sender, credentials, request=None, **kwargs):
    # Only the username is recorded: never the password or any other credential.
    username = str(credentials.get("username", ""))[:150]
    user = get_user_model().objects.filter(username=username).first()
    record_event(
        "anonymous",
        "login.failed",
        user,
        details={"username": username},
        ip=client_ip(request) if request else None,
    )
