"""The signed-in person's own notifications: reminders and digests, newest first."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from dxmonitor.core.access import signed_in
from dxmonitor.core.models import Notification
from dxmonitor.core.notifications import mark_read, unread_count
from dxmonitor.core.twins import respond


def _data(n: Notification) -> dict:
    return {
        "id": n.pk,
        "kind": n.kind,
        "subject": n.subject,
        "body": n.body,
        "url": n.url,
        "created_at": n.created_at.isoformat(),
        "emailed_at": n.emailed_at and n.emailed_at.isoformat(),
        "read_at": n.read_at and n.read_at.isoformat(),
    }


@signed_in
def notification_index(request, format):
    page = Paginator(Notification.objects.filter(user=request.user), 50).get_page(request.GET.get("page"))
    unread = unread_count(request.user)
    data = {
        "count": page.paginator.count,
        "unread": unread,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "notifications": [_data(n) for n in page],
    }
    return respond(request, format, "core/notifications.html", {"page": page, "unread": unread}, data)


@signed_in
@require_POST
def notification_read(request, notification_id):
    # Someone else's notification is "not found": its existence is not the caller's business.
    notification = get_object_or_404(Notification, pk=notification_id, user=request.user)
    mark_read(request.user, notification)
    # "Open" reads it and goes to its page; only ever a page of this site.
    if request.POST.get("open") and url_has_allowed_host_and_scheme(notification.url, {request.get_host()}):
        return redirect(notification.url)
    return redirect("notification-index")
