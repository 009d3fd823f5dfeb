"""Request middleware: client address for audit, absolute session lifetime, refusals shown with their reason."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect, render

from .context import current_client_ip, current_request
from .errors import DomainError
from .net import client_ip

SESSION_STARTED_KEY = "socialgov_session_started"


class ClientAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.client_ip = client_ip(request)
        token = current_client_ip.set(request.client_ip or None)
        request_token = current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            current_request.reset(request_token)
            current_client_ip.reset(token)


class AbsoluteSessionTimeoutMiddleware:
    """A signed-in session ends 12 hours after login, however active it has been."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            started = request.session.get(SESSION_STARTED_KEY)
            limit = settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds()
            if started is None:
                request.session[SESSION_STARTED_KEY] = time.time()
            elif time.time() - started > limit:
                logout(request)
                messages.info(request, "Your session reached its 12-hour limit. Please log in again.")
                return redirect(f"{settings.LOGIN_URL}?next={request.path}")
        return self.get_response(request)


class RefusalMiddleware:
    """A service's refusal that reaches a page is shown with its reason and the policy section behind it, with
    its status: 403 for permission and policy, 409 for a state that does not allow the action, 400 for input.
    Views that can say more (a form with the field in error) catch the refusal themselves."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DomainError):
            return None
        return render(request, "refused.html", {"refusal": exception}, status=exception.status)
