"""Following a task to its end: progress reports with evidence, completion and its review, extensions."""

import datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dxmonitor.accounts import policy
from dxmonitor.core import audit
from dxmonitor.core.models import AuditEntry
from dxmonitor.directives.models import DeadlineExtension, Evidence, ProgressReport, Task, TaskAgency

# What evidence may be: documents, spreadsheets, images and archives that officers actually attach.
EVIDENCE_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".txt": "text/plain",
    ".csv": "text/csv",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".zip": "application/zip",
}
MAX_EVIDENCE_FILES = 10


def _leads(task: Task, agency) -> bool:
    return task.assignments.filter(agency=agency, role=TaskAgency.Role.LEAD).exists()


def _check_file(upload) -> str:
    suffix = Path(upload.name).suffix.lower()
    if suffix not in EVIDENCE_TYPES:
        raise ValidationError(
            _("“%(name)s”: files of this type are not accepted as evidence (accepted: %(types)s).")
            % {"name": upload.name, "types": ", ".join(sorted(EVIDENCE_TYPES))}
        )
    if upload.size > settings.MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("“%(name)s” is %(size).1f MB; the limit is %(limit)d MB.")
            % {"name": upload.name, "size": upload.size / 2**20, "limit": settings.MAX_UPLOAD_BYTES // 2**20}
        )
    if upload.size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": upload.name})
    return EVIDENCE_TYPES[suffix]


@transaction.atomic
def file_report(
    task: Task,
    actor,
    *,
    text: str,
    completion: str = ProgressReport.Completion.IN_PROGRESS,
    product: str = "",
    files=(),
    links=(),
    reported_on: datetime.date | None = None,
) -> ProgressReport:
    """A progress report by one of the task's agencies, with evidence files and links.

    Args:
        task: the task reported on.
        actor: a reporter or approver of an agency assigned the task.
        text: what was done.
        completion: "in_progress", or "done" (lead agencies only; the secretariat then confirms it).
        product: the product delivered, when done.
        files: uploaded evidence files (types in EVIDENCE_TYPES, each within the upload limit).
        links: evidence links (http or https).
        reported_on: the day of the report, today by default.

    Raises:
        PermissionDenied: the actor's agency is not assigned the task.
        ValidationError: a message per field, in the active language; nothing is stored.
    """
    if not policy.report_on_task(actor, task):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    text = text.strip()
    if not text:
        errors.setdefault("text", []).append(_("Say what was done."))
    if completion not in ProgressReport.Completion.values:
        errors.setdefault("completion", []).append(_("Unknown state of completion."))
    if completion == ProgressReport.Completion.DONE:
        if not _leads(task, actor.agency):
            errors.setdefault("completion", []).append(_("Only the lead agency reports a task done."))
        if not product.strip():
            errors.setdefault("product", []).append(_("Name the product delivered (sản phẩm)."))
        if task.completed_on:
            errors.setdefault("completion", []).append(_("The task is already confirmed complete."))
    files = list(files)
    links = [link.strip() for link in links if link.strip()]
    if len(files) + len(links) > MAX_EVIDENCE_FILES:
        errors.setdefault("files", []).append(
            _("At most %(n)d pieces of evidence per report.") % {"n": MAX_EVIDENCE_FILES}
        )
    types = []
    for upload in files:
        try:
            types.append(_check_file(upload))
        except ValidationError as error:
            errors.setdefault("files", []).extend(error.messages)
    for link in links:
        try:
            URLValidator(schemes=["http", "https"])(link)
        except ValidationError:
            errors.setdefault("links", []).append(_("Not a web address: %(link)s") % {"link": link})
    if errors:
        raise ValidationError(errors)
    done = completion == ProgressReport.Completion.DONE
    report = ProgressReport.objects.create(
        task=task,
        agency=actor.agency,
        text=text,
        completion=completion,
        product=product.strip(),
        reported_on=reported_on or timezone.localdate(),
        review=ProgressReport.Review.PENDING if done else "",
        created_by=actor,
        modified_by=actor,
    )
    for upload, content_type in zip(files, types, strict=True):
        evidence = Evidence(
            report=report,
            original_name=Path(upload.name).name[:255],
            content_type=content_type,
            size=upload.size,
            created_by=actor,
            modified_by=actor,
        )
        evidence.file.save(Path(upload.name).name, upload, save=False)
        evidence.save()
    for link in links:
        Evidence.objects.create(report=report, url=link, created_by=actor, modified_by=actor)
    return report


@transaction.atomic
def review_completion(report: ProgressReport, actor, *, confirm: bool, comment: str = "") -> ProgressReport:
    """The secretariat confirms a reported completion (the task is done on the report's day) or returns it."""
    if not policy.review_task(actor):
        raise PermissionDenied
    report = ProgressReport.objects.select_for_update().get(pk=report.pk)
    if report.review != ProgressReport.Review.PENDING:
        raise ValidationError(_("This report is not waiting for confirmation."))
    if not confirm and not comment.strip():
        raise ValidationError({"comment": [_("Say why the completion is returned.")]})
    task = Task.objects.select_for_update().get(pk=report.task_id)
    if confirm:
        before = audit.snapshot(task)
        task.completed_on = report.reported_on
        task.version += 1
        task.modified_by = actor
        task.save()
        audit.record(
            task, actor, AuditEntry.Action.UPDATE, before, audit.snapshot(task), _("Completion confirmed")
        )
    report.review = ProgressReport.Review.CONFIRMED if confirm else ProgressReport.Review.RETURNED
    report.reviewed_by = actor
    report.review_comment = comment.strip()
    report.save(update_fields=["review", "reviewed_by", "review_comment", "modified_at"])
    return report


@transaction.atomic
def request_extension(task: Task, actor, *, new_deadline: datetime.date, reason: str) -> DeadlineExtension:
    """The lead agency asks to move the deadline (gia hạn), with a reason."""
    if not policy.report_on_task(actor, task) or not _leads(task, actor.agency):
        raise PermissionDenied
    errors = {}
    if not reason.strip():
        errors["reason"] = [_("Give the reason for the extension.")]
    if task.deadline is None:
        errors["new_deadline"] = [_("Recurring work has no deadline to extend.")]
    elif new_deadline <= task.deadline:
        errors["new_deadline"] = [
            _("The new deadline must be after the current one (%(d)s).") % {"d": f"{task.deadline:%d/%m/%Y}"}
        ]
    if task.completed_on:
        errors["new_deadline"] = [_("The task is already complete.")]
    if task.extensions.filter(state=DeadlineExtension.State.REQUESTED).exists():
        errors["new_deadline"] = [_("A request is already waiting for a decision.")]
    if errors:
        raise ValidationError(errors)
    return DeadlineExtension.objects.create(
        task=task,
        agency=actor.agency,
        old_deadline=task.deadline,
        new_deadline=new_deadline,
        reason=reason.strip(),
        created_by=actor,
        modified_by=actor,
    )


@transaction.atomic
def decide_extension(extension: DeadlineExtension, actor, *, approve: bool) -> DeadlineExtension:
    """The secretariat approves (the task's deadline moves; the original stays) or rejects a request."""
    if not policy.review_task(actor):
        raise PermissionDenied
    extension = DeadlineExtension.objects.select_for_update().get(pk=extension.pk)
    if extension.state != DeadlineExtension.State.REQUESTED:
        raise ValidationError(_("This request was already decided."))
    now = timezone.now()
    extension.state = DeadlineExtension.State.APPROVED if approve else DeadlineExtension.State.REJECTED
    extension.decided_by, extension.decided_at, extension.decided_on = actor, now, timezone.localdate(now)
    if approve:
        task = Task.objects.select_for_update().get(pk=extension.task_id)
        before = audit.snapshot(task)
        extension.old_deadline = task.deadline
        task.original_deadline = task.original_deadline or task.deadline
        task.deadline = extension.new_deadline
        task.version += 1
        task.modified_by = actor
        task.save()
        audit.record(
            task,
            actor,
            AuditEntry.Action.UPDATE,
            before,
            audit.snapshot(task),
            _("Deadline extended: %(reason)s") % {"reason": extension.reason},
        )
    extension.save()
    return extension
