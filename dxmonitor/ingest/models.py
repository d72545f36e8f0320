"""What the reader proposed from a document, waiting for a person to confirm it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dxmonitor.core.models import TrackedModel


class Decision(models.TextChoices):
    PENDING = "pending", _("To review")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class Extraction(TrackedModel):
    """One reading of one document: the extractor's output as read, and the drafts made from it."""

    document = models.OneToOneField("directives.Document", models.CASCADE, related_name="extraction")
    output = models.JSONField(default=dict)
    seconds = models.FloatField(default=0)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("extraction")
        verbose_name_plural = _("extractions")

    def __str__(self):
        return str(self.document)


class DraftTask(models.Model):
    """A task as read from the document, editable until it is published."""

    extraction = models.ForeignKey(Extraction, models.CASCADE, related_name="tasks")
    position = models.PositiveIntegerField()
    clause = models.CharField(_("clause"), max_length=64, blank=True)
    group = models.CharField(_("group"), max_length=300, blank=True)
    text = models.TextField(_("directive"))
    source = models.TextField(_("source passage"), blank=True)
    lead = models.ManyToManyField("agencies.Agency", blank=True, related_name="+", verbose_name=_("lead"))
    coordinating = models.ManyToManyField("agencies.Agency", blank=True, related_name="+")
    unmatched = models.JSONField(
        default=list, blank=True, help_text=_("Agency names the reader could not match.")
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    deadline_text = models.CharField(_("deadline wording"), max_length=300, blank=True)
    recurrence = models.CharField(max_length=16, blank=True)
    product = models.TextField(_("expected product"), blank=True)
    decision = models.CharField(max_length=16, choices=Decision.choices, default=Decision.PENDING)
    edited = models.BooleanField(default=False)
    task = models.OneToOneField(
        "directives.Task", models.SET_NULL, null=True, blank=True, related_name="draft"
    )

    class Meta:
        ordering = ["extraction", "position"]
        verbose_name = _("draft task")
        verbose_name_plural = _("draft tasks")

    def __str__(self):
        return f"{self.clause} {self.text[:60]}"


class DraftIndicator(models.Model):
    """An indicator row as read (targets and results), to be confirmed before it reaches the catalogue."""

    extraction = models.ForeignKey(Extraction, models.CASCADE, related_name="indicators")
    position = models.PositiveIntegerField()
    code = models.CharField(max_length=32)
    name = models.CharField(max_length=500)
    group = models.CharField(max_length=200, blank=True)
    unit = models.CharField(max_length=32, blank=True)
    lead = models.ManyToManyField("agencies.Agency", blank=True, related_name="+")
    targets = models.JSONField(default=list, blank=True)
    results = models.JSONField(default=list, blank=True)
    decision = models.CharField(max_length=16, choices=Decision.choices, default=Decision.PENDING)
    indicator = models.ForeignKey(
        "indicators.Indicator", models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["extraction", "position"]
        verbose_name = _("draft indicator")
        verbose_name_plural = _("draft indicators")

    def __str__(self):
        return f"{self.code} {self.name[:60]}"
