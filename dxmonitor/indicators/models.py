"""Indicators (chỉ tiêu), their versioned definitions, targets, reporting rounds and observed values."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dxmonitor.core.models import TrackedModel


class PeriodKind(models.TextChoices):
    YEAR = "year", _("Year")
    HALF = "half", _("Half-year")
    QUARTER = "quarter", _("Quarter")
    MONTH = "month", _("Month")


class PeriodFields(models.Model):
    """A reporting period stored as its canonical code (2023, 2023-H1, 2023-Q2, 2023-06) and its dates."""

    period = models.CharField(_("period"), max_length=10, db_index=True)
    period_kind = models.CharField(max_length=8, choices=PeriodKind.choices)
    period_start = models.DateField()
    period_end = models.DateField()

    class Meta:
        abstract = True


class Indicator(TrackedModel):
    class Group(models.TextChoices):
        DIGITAL_DATA = "digital_data", _("Digital data")
        DIGITAL_GOVERNMENT = "digital_government", _("Digital government")
        DIGITAL_ECONOMY = "digital_economy", _("Digital economy")
        DIGITAL_SOCIETY = "digital_society", _("Digital society")
        CYBERSECURITY = "cybersecurity", _("Cyber safety and security")
        PROJECT_06 = "project_06", _("Project 06")
        OTHER = "other", _("Other")

    class Direction(models.TextChoices):
        HIGHER = "higher", _("Higher is better")
        LOWER = "lower", _("Lower is better")

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=500)
    group = models.CharField(_("group"), max_length=24, choices=Group.choices, default=Group.OTHER)
    unit = models.CharField(_("unit"), max_length=32, blank=True)
    direction = models.CharField(
        _("direction"), max_length=8, choices=Direction.choices, default=Direction.HIGHER
    )
    lead = models.ManyToManyField("agencies.Agency", blank=True, related_name="led_indicators")
    frequency = models.CharField(
        _("reporting frequency"), max_length=8, choices=PeriodKind.choices, default="year"
    )
    description = models.TextField(_("description"), blank=True)
    source_document = models.ForeignKey(
        "directives.Document", models.SET_NULL, null=True, blank=True, related_name="indicators"
    )

    class Meta:
        ordering = ["group", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self):
        return f"{self.code} {self.name}"


class IndicatorDefinition(models.Model):
    """How an indicator's value forms, from a date on; a new version never rewrites past values."""

    class Formula(models.TextChoices):
        VALUE = "value", _("Reported value")
        RATIO = "ratio", _("Ratio of numerator to denominator")
        SHARE_OF_AGENCIES = "share_of_agencies", _("Share of agencies that did it")
        SUM = "sum", _("Sum over agencies")
        MEAN = "mean", _("Mean over agencies")
        COMPUTED = "computed", _("Computed from raw events")

    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="definitions")
    version = models.PositiveSmallIntegerField(default=1)
    valid_from = models.DateField(null=True, blank=True)
    formula = models.CharField(max_length=24, choices=Formula.choices, default=Formula.VALUE)
    params = models.JSONField(default=dict, blank=True, help_text=_("Formula parameters, e.g. agency kinds."))
    min_value = models.FloatField(null=True, blank=True)
    max_value = models.FloatField(null=True, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["indicator", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "version"], name="definition_version_unique")
        ]

    def __str__(self):
        return f"{self.indicator.code} v{self.version}"


class Target(TrackedModel, PeriodFields):
    class Comparator(models.TextChoices):
        AT_LEAST = ">=", _("at least")
        AT_MOST = "<=", _("at most")
        EXACTLY = "==", _("exactly")
        BY_DATE = "by_date", _("by a date")

    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="targets")
    agency = models.ForeignKey(
        "agencies.Agency",
        models.PROTECT,
        related_name="targets",
        help_text=_("The nation for national targets."),
    )
    comparator = models.CharField(max_length=8, choices=Comparator.choices, default=Comparator.AT_LEAST)
    value = models.FloatField(null=True, blank=True)
    value_date = models.DateField(null=True, blank=True)
    text = models.CharField(_("original wording"), max_length=300, blank=True)
    document = models.ForeignKey(
        "directives.Document", models.SET_NULL, null=True, blank=True, related_name="targets"
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["indicator", "period"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "agency", "period"], name="target_unique_per_period")
        ]

    def __str__(self):
        return f"{self.indicator.code} {self.period} {self.comparator} {self.value}"


class ReportingRound(TrackedModel, PeriodFields):
    """A period for which agencies must report a set of indicators by a due date (kỳ báo cáo)."""

    title = models.CharField(_("title"), max_length=300)
    due_date = models.DateField(_("due date"))
    indicators = models.ManyToManyField(Indicator, related_name="rounds")
    agencies = models.ManyToManyField("agencies.Agency", related_name="rounds")

    class Meta:
        ordering = ["-due_date"]

    def __str__(self):
        return self.title


class Observation(TrackedModel, PeriodFields):
    """One value of an indicator for one agency (or the nation) and period, from one source."""

    class Source(models.TextChoices):
        REPORTED = "reported", _("Reported")
        COMPUTED = "computed", _("Computed from events")
        ESTIMATED = "estimated", _("Estimated")
        FORECAST = "forecast", _("Forecast")
        IMPORTED = "imported", _("Imported from a document")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned")

    # Observations are the largest table (indicators × agencies × periods) and every computation writes
    # them: no index that no query uses. The unique constraint below starts with the indicator, so it
    # serves lookups by indicator; who entered, approved or created a row is read, never searched.
    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="observations", db_index=False)
    definition = models.ForeignKey(
        IndicatorDefinition, models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    agency = models.ForeignKey("agencies.Agency", models.PROTECT, related_name="observations")
    round = models.ForeignKey(
        ReportingRound, models.SET_NULL, null=True, blank=True, related_name="observations"
    )
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.REPORTED)
    value = models.FloatField(null=True, blank=True)
    numerator = models.FloatField(null=True, blank=True)
    denominator = models.FloatField(null=True, blank=True)
    done = models.BooleanField(null=True, blank=True, help_text=_("For share-of-agencies indicators."))
    done_on = models.DateField(null=True, blank=True)
    text = models.CharField(_("original wording"), max_length=300, blank=True)
    note = models.TextField(_("note"), blank=True)
    comment = models.TextField(_("comment"), blank=True)
    review_comment = models.TextField(
        _("review comment"), blank=True, help_text=_("Why the approver returned the value.")
    )
    state = models.CharField(max_length=16, choices=State.choices, default=State.DRAFT, db_index=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True, help_text=_("The last submission."))
    document = models.ForeignKey(
        "directives.Document",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="observations",
        db_index=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        db_index=False,
    )
    modified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        db_index=False,
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["indicator", "period", "agency"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "agency", "period", "source"], name="observation_unique_per_source"
            )
        ]
        indexes = [models.Index(fields=["indicator", "period_start"])]

    def __str__(self):
        return f"{self.indicator.code} {self.agency} {self.period}: {self.value}"
