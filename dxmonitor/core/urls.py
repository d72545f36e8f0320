from django.urls import path

from dxmonitor.core import notification_views
from dxmonitor.core.twins import twin

urlpatterns = [
    *twin("notifications/", notification_views.notification_index, "notification-index"),
    path(
        "notifications/<int:notification_id>/read/",
        notification_views.notification_read,
        name="notification-read",
    ),
]
