"""Audit history: every service that changes an audited row records it here."""

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models

from dxmonitor.core.models import AuditEntry

# Bookkeeping fields, not part of a snapshot.
SKIPPED = {"created_at", "modified_at", "created_by", "modified_by"}


def snapshot(obj: models.Model) -> dict:
    """The row's own field values, JSON-safe, many-to-many included as sorted keys."""
    data = {}
    for field in obj._meta.concrete_fields:
        if field.name in SKIPPED:
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


def snapshot_sql(model: type[models.Model], alias: str) -> str:
    """SQL that builds snapshot() of a row of `model` (named `alias` in the query) inside the database.

    For audit entries written in bulk (`INSERT … SELECT`): the same keys and values as snapshot()
    reading the row back, without a round trip of every row through Python. Dates and times take the
    strings DjangoJSONEncoder gives (times in UTC, milliseconds, "Z"); SQLite's booleans (0/1) become
    JSON's. SQLite and PostgreSQL only, and models without many-to-many fields.
    """
    if model._meta.many_to_many:
        raise ValueError(f"{model.__name__} has many-to-many fields: snapshot_sql does not read them")
    sqlite = connection.vendor == "sqlite"
    pairs = []
    for field in model._meta.concrete_fields:
        if field.name in SKIPPED:
            continue
        column = f"{alias}.{connection.ops.quote_name(field.column)}"
        if isinstance(field, models.DateTimeField):
            if sqlite:  # stored as "2026-11-23 09:30:00.123456" (UTC) or without the fraction
                value = f"REPLACE(SUBSTR({column}, 1, 23), ' ', 'T') || 'Z'"
            else:
                utc = f"{column} AT TIME ZONE 'UTC'"
                value = (
                    f"""TO_CHAR({utc}, 'YYYY-MM-DD"T"HH24:MI:SS') || CASE WHEN MOD(EXTRACT(MICROSECONDS """
                    f"FROM {column})::integer, 1000000) = 0 THEN '' ELSE TO_CHAR({utc}, '.MS') END || 'Z'"
                )
        elif isinstance(field, models.BooleanField) and sqlite:
            value = f"CASE {column} WHEN 1 THEN JSON('true') WHEN 0 THEN JSON('false') END"
        else:
            value = column
        pairs.append(f"'{field.attname}', {value}")
    return f"{'JSON_OBJECT' if sqlite else 'JSONB_BUILD_OBJECT'}({', '.join(pairs)})"


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
