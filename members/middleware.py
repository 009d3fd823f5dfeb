"""Two-factor enforcement: members whose role requires it reach only the verify/enrol pages until they pass it."""

from django.shortcuts import redirect
from django.urls import reverse

from .permissions import requires_two_factor


class TwoFactorRequiredMiddleware:
    """Members whose role requires two-factor reach only the verify/enrol pages until they pass it."""

    allowed_prefixes = ("/accounts/", "/static/", "/healthz", "/news/", "/es/news/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and requires_two_factor(user)
            and not request.path.startswith(self.allowed_prefixes)
        ):
            return redirect(f"{reverse('accounts:verify')}?next={request.get_full_path()}")
        return self.get_response(request)
