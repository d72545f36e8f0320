"""View decorators for sign-in and the secretariat; finer checks are dxmonitor.accounts.policy's."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.utils.translation import gettext_lazy as _

from dxmonitor.accounts import policy
from dxmonitor.core.i18n import both


def signed_in(view):
    """Anonymous visitors go to the login page; a JSON twin answers 401 instead of redirecting."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_authenticated and request.user.is_active:
            return view(request, *args, **kwargs)
        if kwargs.get("format") == "json":
            return JsonResponse(both(_("Sign in to see this.")), status=401)
        return redirect_to_login(request.get_full_path())

    return wrapper


def secretariat_only(view):
    """Signed in as the secretariat, or 403."""

    @signed_in
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not policy.administer(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
