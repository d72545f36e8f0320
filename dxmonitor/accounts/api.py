"""Authentication for the API (browser session or bearer token) and the caller's own account."""

from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.security import HttpBearer, django_auth

from dxmonitor.accounts.models import ApiToken

router = Router(tags=["accounts"])


class TokenAuth(HttpBearer):
    """`Authorization: Bearer dxm_…`: the token acts as the user who issued it."""

    def authenticate(self, request, token):
        found = ApiToken.objects.find(token)
        if found is None or not found.user.is_active:
            return None
        now = timezone.now()
        # One write a minute at most: a busy system pushing batches should not write on every call.
        if found.last_used_at is None or (now - found.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        return found.user


API_AUTH = [django_auth, TokenAuth()]


class MeOut(Schema):
    username: str
    full_name: str = Field(alias="display_name")
    role: str
    agency_code: str | None = Field(None, alias="agency.code")
    agency_name: str | None = Field(None, alias="agency.name")


@router.get("/me", response=MeOut, summary="The signed-in user or the token's owner")
def me(request):
    return request.auth
