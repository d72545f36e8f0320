"""The HTTP API, version 1: one NinjaAPI with each app's router."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.renderers import JSONRenderer

from dxmonitor.accounts.api import API_AUTH
from dxmonitor.accounts.api import router as accounts_router
from dxmonitor.agencies.api import router as agencies_router
from dxmonitor.core.i18n import both
from dxmonitor.directives.api import router as directives_router
from dxmonitor.events.api import router as events_router
from dxmonitor.indicators.api import router as indicators_router


class Renderer(JSONRenderer):
    # Vietnamese stays readable in responses instead of \u escapes.
    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="dxmonitor API",
    version="1",
    description="Tasks, indicators and agencies of the national digital transformation programme. "
    "Sign in with a browser session, or send `Authorization: Bearer <token>` (tokens: /accounts/tokens/).",
    auth=API_AUTH,
    urls_namespace="api-v1",
    renderer=Renderer(),
)
api.add_router("", accounts_router)
api.add_router("", agencies_router)
api.add_router("", directives_router)
api.add_router("", indicators_router)
api.add_router("", events_router)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return api.create_response(request, both(_("Sign in or send a valid API token.")), status=401)


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return api.create_response(request, both(_("You may not do this for another agency.")), status=403)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, both(_("Not found.")), status=404)


@api.exception_handler(ValidationError)
def invalid(request, exc):
    return api.create_response(
        request, {**both(_("The request is not valid.")), "errors": exc.errors}, status=422
    )


@api.exception_handler(DjangoValidationError)
def refused(request, exc):
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(
        request, {**both(_("The request is not valid.")), "errors": errors}, status=400
    )
