"""Sessions, their documents, the tasks (nhiệm vụ) the documents assign, and the follow-up of each task."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dxmonitor.core.models import TrackedModel
from dxmonitor.directives.status import Status

# The Government Office's words for the four statuses, and ours for work with no deadline.
STATUS_LABELS = {
    Status.COMPLETED_ON_TIME: _("Completed on time"),
    Status.COMPLETED_LATE: _("Completed late"),
    Status.IN_PROGRESS: _("In progress, within the deadline"),
    Status.OVERDUE: _("In progress, past the deadline"),
    Status.RECURRING: _("Recurring, no deadline"),
}


class Session(TrackedModel):
    """A meeting of the committee (phiên họp)."""

    title = models.CharField(_("title"), max_length=300)
    number = models.PositiveSmallIntegerField(_("session number"), null=True, blank=True)
    date = models.DateField(_("date"))
    chair = models.CharField(_("chaired by"), max_length=200, blank=True)

    class Meta:
        ordering = ["-date"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self):
        return self.title


class Document(TrackedModel):
    """A conclusion notice (thông báo kết luận), report or plan, with its file and text."""

    class Kind(models.TextChoices):
        CONCLUSION = "conclusion", _("Conclusion notice")
        REPORT = "report", _("Report")
        PLAN = "plan", _("Action plan")
        OTHER = "other", _("Other")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft: being reviewed")
        PUBLISHED = "published", _("Published")

    session = models.ForeignKey(Session, models.SET_NULL, null=True, blank=True, related_name="documents")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.CONCLUSION)
    number = models.CharField(_("number"), max_length=64, blank=True)
    title = models.CharField(_("title"), max_length=500)
    date = models.DateField(_("date"), null=True, blank=True)
    issuer = models.CharField(_("issued by"), max_length=200, blank=True)
    signer = models.CharField(_("signed by"), max_length=200, blank=True)
    file = models.FileField(_("file"), upload_to="documents/%Y/", blank=True)
    original_name = models.CharField(_("original file name"), max_length=255, blank=True)
    sha256 = models.CharField(
        max_length=64, unique=True, help_text=_("Hash of the text; recognises re-uploads.")
    )
    text = models.TextField(_("text"), blank=True)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.DRAFT)
    is_sample = models.BooleanField(_("sample document"), default=False)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self):
        return self.title


class Task(TrackedModel):
    """One directive item: who leads, who coordinates, by when, and what it should produce."""

    class Recurrence(models.TextChoices):
        NONE = "", _("None")
        YEARLY = "yearly", _("Yearly")

    document = models.ForeignKey(Document, models.PROTECT, related_name="tasks")
    clause = models.CharField(
        _("clause"), max_length=64, blank=True, help_text=_("Place in the document, e.g. 4.b.2")
    )
    group = models.CharField(_("group"), max_length=300, blank=True)
    text = models.TextField(_("directive"))
    source_passage = models.TextField(_("source passage"), blank=True)
    agencies = models.ManyToManyField("agencies.Agency", through="TaskAgency", related_name="tasks")
    deadline = models.DateField(_("deadline"), null=True, blank=True, db_index=True)
    deadline_text = models.CharField(_("deadline wording"), max_length=300, blank=True)
    original_deadline = models.DateField(_("original deadline"), null=True, blank=True)
    recurrence = models.CharField(_("recurrence"), max_length=16, choices=Recurrence.choices, blank=True)
    product = models.TextField(_("expected product"), blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True, db_index=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")

    def __str__(self):
        return f"{self.clause} {self.text[:80]}".strip()


class TaskAgency(models.Model):
    """An agency's part in a task: lead (chủ trì) or coordinating (phối hợp)."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Lead")
        COORDINATING = "coordinating", _("Coordinating")

    task = models.ForeignKey(Task, models.CASCADE, related_name="assignments")
    agency = models.ForeignKey("agencies.Agency", models.PROTECT, related_name="task_assignments")
    role = models.CharField(max_length=16, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["task", "agency", "role"], name="task_agency_role_unique")
        ]
        # With the task column the agency filter of the task list reads the index alone.
        indexes = [models.Index(fields=["agency", "role", "task"], name="taskagency_agency_role_task")]

    def __str__(self):
        return f"{self.agency} ({self.get_role_display()})"


class ProgressReport(TrackedModel):
    """What an agency reports it has done on a task, with evidence."""

    class Completion(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    class Review(models.TextChoices):
        NONE = "", _("Not needed")
        PENDING = "pending", _("Awaiting confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        RETURNED = "returned", _("Returned")

    task = models.ForeignKey(Task, models.CASCADE, related_name="reports")
    agency = models.ForeignKey("agencies.Agency", models.PROTECT, related_name="progress_reports")
    text = models.TextField(_("progress"))
    completion = models.CharField(max_length=16, choices=Completion.choices, default=Completion.IN_PROGRESS)
    product = models.TextField(_("product delivered"), blank=True)
    reported_on = models.DateField(_("reported on"))
    review = models.CharField(max_length=16, choices=Review.choices, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    review_comment = models.TextField(blank=True)

    class Meta:
        ordering = ["-reported_on", "-id"]
        # The stale count reads the tasks reported on in a range of days from this index alone.
        indexes = [models.Index(fields=["reported_on", "task"], name="progressreport_day_task")]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")

    def __str__(self):
        return f"{self.agency} · {self.reported_on}"


class Evidence(TrackedModel):
    """A file or link backing a progress report; files are stored outside the web root."""

    report = models.ForeignKey(ProgressReport, models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to="evidence/%Y/%m/", blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    url = models.URLField(blank=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(file="") | ~models.Q(url=""), name="evidence_has_file_or_url"
            )
        ]

    def __str__(self):
        return self.original_name or self.url


class DeadlineExtension(TrackedModel):
    """A request to move a deadline (gia hạn); the original deadline stays on the task."""

    class State(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    task = models.ForeignKey(Task, models.CASCADE, related_name="extensions")
    agency = models.ForeignKey("agencies.Agency", models.PROTECT, related_name="+")
    old_deadline = models.DateField(null=True, blank=True)
    new_deadline = models.DateField()
    reason = models.TextField()
    state = models.CharField(max_length=16, choices=State.choices, default=State.REQUESTED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # The local day of the decision: status as of a date uses the deadline in force that day.
    decided_on = models.DateField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.task} → {self.new_deadline}"
