"""Step-up: the most sensitive acts (downloading an export, releasing a legal hold) ask for the second factor
again when the last one was given more than STEP_UP_MINUTES ago."""

import time
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

SESSION_KEY = "second_factor_at"


def mark_second_factor(request) -> None:
    """The member just gave a valid second-factor code."""
    request.session[SESSION_KEY] = time.time()


def second_factor_is_fresh(request) -> bool:
    given = request.session.get(SESSION_KEY)
    return request.user.is_verified() and given is not None and time.time() - given <= settings.STEP_UP_MINUTES * 60


def _return_to(request) -> str:
    """Where to come back to: the page itself for a GET; for a form sent by POST, the page that showed it."""
    if request.method == "GET":
        return request.get_full_path()
    referer = request.headers.get("referer", "")
    if referer and url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()}):
        parts = urlsplit(referer)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return "/"


def ask_for_second_factor(request):
    """The response that asks for the second factor, then comes back (for a POST: to the form, to send again)."""
    if request.method != "GET":
        messages.info(request, "Confirm it is you with your two-factor code, then do it again.")
    return redirect("/accounts/two-factor/confirm/?" + urlencode({"next": _return_to(request)}))
