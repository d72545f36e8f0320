"""Notifications to one person, in the app and by e-mail: each sent at most once, whoever asks twice."""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from dxmonitor.core.models import Notification

logger = logging.getLogger(__name__)


def notify(user, *, kind: str, key: str, subject: str, body: str = "", url: str = "") -> Notification | None:
    """Store a notification for the user and e-mail it, unless one with this key exists already.

    Args:
        user: who is notified; e-mailed only when they have an address.
        kind: what sort of message it is ("due", "passed", "digest"…), for lists and counts.
        key: names what the message is about and for whom; a second call with the same key does nothing,
            even from another process at the same moment (the database's unique constraint decides).
        subject: one line (newlines are folded into spaces; cut to 300 characters).
        body: the text, shown in the app and sent by e-mail.
        url: the page the notification is about, e.g. /tasks/12/.

    Returns:
        The new notification, or None when the key was already used.
    """
    subject = " ".join(subject.split())[:300]
    try:
        # A savepoint: a duplicate key must not spoil a transaction the caller may have open.
        with transaction.atomic():
            notification = Notification.objects.create(
                user=user, kind=kind, key=key, subject=subject, body=body, url=url
            )
    except IntegrityError:
        return None
    if user.email:
        # E-mail is read outside the site: links must carry its address.
        link = settings.SITE_URL.rstrip("/") + url if url.startswith("/") else url
        text = f"{body}\n\n{link}" if link else body
        try:
            send_mail(subject, text, None, [user.email])
        except OSError:
            # The message stays in the app; emailed_at left empty shows it never left by e-mail.
            logger.warning("Could not e-mail notification %s to %s", key, user.email, exc_info=True)
            return notification
        notification.emailed_at = timezone.now()
        Notification.objects.filter(pk=notification.pk).update(emailed_at=notification.emailed_at)
    return notification


def mark_read(user, notification: Notification) -> Notification:
    """Mark one of the user's own notifications read; anyone else's is refused."""
    if not (user.is_authenticated and notification.user_id == user.pk):
        raise PermissionDenied
    if notification.read_at is None:
        notification.read_at = timezone.now()
        # Only the first reading counts: a second tab does not move the time.
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def unread_count(user) -> int:
    """How many of the user's notifications are unread."""
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
