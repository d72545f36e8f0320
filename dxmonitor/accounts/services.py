"""Account operations: creating people with a role, issuing and revoking API tokens."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dxmonitor.accounts import policy
from dxmonitor.accounts.models import AGENCY_ROLES, ApiToken, Role, User


@transaction.atomic
def create_user(username: str, password: str, role: str, agency=None, **fields) -> User:
    """A new account; agency roles need an agency, the secretariat gets the admin."""
    if role in AGENCY_ROLES and agency is None:
        raise ValidationError(_("An agency reporter or approver must belong to an agency."))
    user = User(username=username, role=role, agency=agency if role in AGENCY_ROLES else None, **fields)
    user.is_staff = user.is_superuser = role == Role.SECRETARIAT
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    return user


def issue_token(user: User, name: str) -> tuple[ApiToken, str]:
    """A new API token for the user; the key is returned once."""
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name, e.g. the system that will use it.")})
    return ApiToken.issue(user, name[:120])


def revoke_token(user: User, token: ApiToken) -> None:
    """Revoke a token; its key stops working at once."""
    if not policy.manage_token(user, token):
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoke()
