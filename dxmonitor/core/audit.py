"""Audit history: every service that changes an audited row records it here."""

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from dxmonitor.core.models import AuditEntry

_SKIP = {"created_at", "modified_at", "created_by", "modified_by"}


def snapshot(obj: models.Model) -> dict:
    """The row's own field values, JSON-safe, many-to-many included as sorted keys."""
    data = {}
    for field in obj._meta.concrete_fields:
        if field.name in _SKIP:
            continue
        data[field.attname] = field.value_from_object(obj)
    if obj.pk is not None:
        for field in obj._meta.many_to_many:
            data[field.name] = sorted(str(pk) for pk in getattr(obj, field.name).values_list("pk", flat=True))
    # Round-trip through the encoder so dates and decimals become the strings JSONField stores.
    encoder = DjangoJSONEncoder()
    return {key: _jsonable(encoder, value) for key, value in data.items()}


def _jsonable(encoder, value):
    if value is None or isinstance(value, bool | int | float | str | list | dict):
        return value
    return encoder.default(value)


def record(obj: models.Model, actor, action: str, before: dict | None, after: dict | None, reason: str = ""):
    """Store one audit entry for obj; nothing is stored when nothing changed."""
    if action == AuditEntry.Action.UPDATE and before == after:
        return None
    return AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id=str(obj.pk),
        action=action,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        before=before,
        after=after,
        reason=reason,
    )


def history(obj: models.Model):
    """The audit entries of obj, newest first."""
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True), object_id=str(obj.pk)
    ).select_related("actor")
