from dxmonitor.core.notifications import unread_count


def unread_notifications(request):
    """The count beside "Thông báo" in the header; lazy, so pages that do not show it pay nothing."""
    return {"unread_notifications": lambda: unread_count(request.user)}
