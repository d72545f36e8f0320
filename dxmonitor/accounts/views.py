from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dxmonitor.accounts import policy, services
from dxmonitor.accounts.models import ApiToken
from dxmonitor.core.access import signed_in
from dxmonitor.core.twins import respond


@signed_in
def token_index(request, format):
    tokens = request.user.api_tokens.all()
    new_key = None
    if request.method == "POST":
        try:
            token, new_key = services.issue_token(request.user, request.POST.get("name", ""))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    data = {
        "tokens": [
            {
                "name": t.name,
                "prefix": t.prefix,
                "created_at": t.created_at.isoformat(),
                "last_used_at": t.last_used_at and t.last_used_at.isoformat(),
                "revoked": t.revoked_at is not None,
            }
            for t in tokens
        ]
    }
    return respond(request, format, "accounts/tokens.html", {"tokens": tokens, "new_key": new_key}, data)


@signed_in
@require_POST
def token_revoke(request, token_id):
    # Another person's token is "not found", not "forbidden": its existence is not the caller's business.
    mine = {} if policy.is_secretariat(request.user) else {"user": request.user}
    token = get_object_or_404(ApiToken, pk=token_id, **mine)
    services.revoke_token(request.user, token)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("token-index")
