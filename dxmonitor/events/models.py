"""Bookkeeping of the event store: the batches ingested. The records themselves live in Parquet files."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class IngestBatch(models.Model):
    """One batch of dossier records (a file or an API push) and what it did."""

    batch = models.CharField(_("batch"), max_length=40, unique=True)
    source = models.CharField(_("source"), max_length=500)
    sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rows = models.PositiveBigIntegerField(default=0)
    new = models.PositiveBigIntegerField(default=0)
    replaced = models.PositiveBigIntegerField(default=0)
    older = models.PositiveBigIntegerField(default=0)
    already_stored = models.PositiveBigIntegerField(default=0)
    duplicates = models.PositiveBigIntegerField(default=0)
    quarantined = models.PositiveBigIntegerField(default=0)
    months = models.JSONField(default=list, help_text=_("Months (YYYYMM) whose counts the batch changed."))
    quarantine_file = models.CharField(max_length=500, blank=True)
    folded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("ingest batch")
        verbose_name_plural = _("ingest batches")

    def __str__(self):
        return f"{self.batch} ({self.source})"
