"""Agencies (cơ quan, đơn vị), their names in use, and how their work passed on when they changed."""

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dxmonitor.core.models import TrackedModel


class AgencyKind(models.TextChoices):
    NATION = "nation", _("Nation")
    MINISTRY = "ministry", _("Ministry")
    MINISTRY_LEVEL = "ministry_level", _("Ministry-level agency")
    GOVERNMENT_AGENCY = "government_agency", _("Government agency")
    CENTRAL_BODY = "central_body", _("Central body")
    COMMITTEE = "committee", _("Committee")
    PROVINCE = "province", _("Province")
    COMMUNE = "commune", _("Commune")
    ENTERPRISE = "enterprise", _("State or private enterprise")
    COLLECTIVE = "collective", _("Collective")


# The kinds counted as "bộ, ngành" (ministries and sectors) in national shares such as "6/30 bộ, ngành".
CENTRAL_KINDS = (AgencyKind.MINISTRY, AgencyKind.MINISTRY_LEVEL, AgencyKind.GOVERNMENT_AGENCY)


class AgencyQuerySet(models.QuerySet):
    def valid_on(self, day: datetime.date):
        """Agencies that existed on day."""
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )


class Agency(TrackedModel):
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=255, db_index=True)
    short_name = models.CharField(_("short name"), max_length=120, blank=True)
    name_en = models.CharField(_("English name"), max_length=255, blank=True)
    kind = models.CharField(_("kind"), max_length=24, choices=AgencyKind.choices, db_index=True)
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )
    admin_code = models.CharField(_("administrative unit code"), max_length=16, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_from__lte=models.F("valid_to")),
                name="agency_valid_period_ordered",
            )
        ]

    def __str__(self):
        return self.name

    def is_valid_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


class AgencyAlias(models.Model):
    """Another name an agency goes by in notices; `key` is the matcher's normalised form."""

    agency = models.ForeignKey(Agency, models.CASCADE, related_name="aliases")
    alias = models.CharField(max_length=255)
    key = models.CharField(max_length=255, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "key"], name="agency_alias_unique")]
        verbose_name = _("agency alias")
        verbose_name_plural = _("agency aliases")

    def __str__(self):
        return self.alias


class Succession(models.Model):
    """Where an agency's work went when it was merged, renamed or split."""

    class Kind(models.TextChoices):
        MERGED_INTO = "merged_into", _("merged into")
        RENAMED_TO = "renamed_to", _("renamed to")
        SPLIT_INTO = "split_into", _("split into")

    predecessor = models.ForeignKey(Agency, models.CASCADE, related_name="successions")
    successor = models.ForeignKey(Agency, models.CASCADE, related_name="predecessions")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    effective_date = models.DateField(_("effective date"))
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["effective_date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="succession_unique"),
            models.CheckConstraint(
                condition=~Q(predecessor=models.F("successor")), name="succession_not_self"
            ),
        ]
        verbose_name = _("succession")
        verbose_name_plural = _("successions")

    def __str__(self):
        return f"{self.predecessor} → {self.successor} ({self.effective_date})"
