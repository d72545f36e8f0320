import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from dxmonitor.accounts import policy
from dxmonitor.core import audit
from dxmonitor.core.access import signed_in
from dxmonitor.core.i18n import both
from dxmonitor.core.twins import respond
from dxmonitor.directives import progress
from dxmonitor.directives.api import DocumentDetailOut, DocumentOut, extension_data, report_data, task_data
from dxmonitor.directives.models import (
    STATUS_LABELS,
    DeadlineExtension,
    Document,
    Evidence,
    ProgressReport,
    Task,
    TaskAgency,
)
from dxmonitor.directives.queries import with_status
from dxmonitor.directives.scorecards import ranking, scorecard
from dxmonitor.directives.services import TaskFilter, task_list


@signed_in
def document_index(request, format):
    page = Paginator(Document.objects.select_related("session"), 50).get_page(request.GET.get("page"))
    data = {
        "count": page.paginator.count,
        "documents": [DocumentOut.from_orm(d).model_dump(mode="json") for d in page],
    }
    return respond(request, format, "directives/documents.html", {"page": page}, data)


@signed_in
def document_page(request, document_id, format):
    document = get_object_or_404(Document.objects.select_related("session"), pk=document_id)
    data = DocumentDetailOut.from_orm(document).model_dump(mode="json")
    return respond(request, format, "directives/document.html", {"document": document}, data)


def _filters(request) -> TaskFilter:
    try:
        return TaskFilter.from_params(request.GET)
    except ValidationError as error:
        raise BadFilter(error) from None


STATUS_CHOICES = [(status.value, label) for status, label in STATUS_LABELS.items()]
SORT_CHOICES = [
    ("deadline", _("Deadline, earliest first")),
    ("-deadline", _("Deadline, latest first")),
    ("status", _("Status")),
    ("document", _("Document, newest first")),
    ("clause", _("Clause")),
]


class BadFilter(Exception):
    def __init__(self, error: ValidationError):
        self.errors = error.message_dict


def _bad_filter(request, format, error: BadFilter):
    if format == "json":
        return JsonResponse({**both(_("Some filters are not valid.")), "errors": error.errors}, status=400)
    return render(request, "directives/bad_filter.html", {"errors": error.errors}, status=400)


@signed_in
def task_index(request, format):
    try:
        filters = _filters(request)
    except BadFilter as error:
        return _bad_filter(request, format, error)
    tasks = (
        task_list(request.user, filters).select_related("document").prefetch_related("assignments__agency")
    )
    agency = filters.agency or (None if policy.sees_everything(request.user) else request.user.agency)
    card = scorecard(request.user, filters)
    page = Paginator(tasks, 50).get_page(request.GET.get("page"))
    data = {
        "agency": agency and agency.code,
        "as_of": filters.as_of.isoformat(),
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "scorecard": card.as_dict(),
        "tasks": [task_data(t) for t in page],
    }
    context = {
        "page": page,
        "agency": agency,
        "filters": filters,
        "card": card,
        "statuses": STATUS_CHOICES,
        "roles": TaskAgency.Role.choices,
        "sorts": SORT_CHOICES,
    }
    return respond(request, format, "directives/tasks.html", context, data)


@signed_in
def scorecard_page(request, format):
    try:
        filters = _filters(request)
    except BadFilter as error:
        return _bad_filter(request, format, error)
    if not policy.sees_everything(request.user) and filters.agency is None:
        filters.agency = request.user.agency
    card = scorecard(request.user, filters)
    rows = ranking(request.user, filters) if policy.sees_everything(request.user) else []
    data = {
        "as_of": filters.as_of.isoformat(),
        "agency": filters.agency and filters.agency.code,
        "scorecard": card.as_dict(),
        "ranking": rows,
    }
    context = {"card": card, "rows": rows, "filters": filters, "agency": filters.agency}
    return respond(request, format, "directives/scorecard.html", context, data)


@signed_in
def task_page(request, task_id, format):
    task = get_object_or_404(Task.objects.select_related("document__session"), pk=task_id)
    if not policy.view_task(request.user, task):
        raise PermissionDenied
    as_of = timezone.localdate()
    annotated = with_status(Task.objects.filter(pk=task.pk), as_of).get()
    reports = task.reports.select_related("agency", "created_by").prefetch_related("evidence")
    data = {
        **task_data(annotated),
        "reports": [report_data(r) for r in reports],
        "extensions": [extension_data(e) for e in task.extensions.select_related("agency")],
        "history": [
            {
                "at": e.at.isoformat(),
                "actor": e.actor and e.actor.username,
                "action": e.action,
                "changed": e.changed_fields(),
                "before": e.before,
                "after": e.after,
                "reason": e.reason,
            }
            for e in audit.history(task)
        ],
    }
    context = {
        "task": annotated,
        "reports": reports,
        "extensions": task.extensions.select_related("agency"),
        "history": audit.history(task),
        "status_label": STATUS_LABELS.get(annotated.status),
        "can_report": policy.report_on_task(request.user, task),
        "can_review": policy.administer(request.user),
        "today": as_of,
    }
    return respond(request, format, "directives/task.html", context, data)


def _task_for(request, task_id) -> Task:
    task = get_object_or_404(Task, pk=task_id)
    if not policy.view_task(request.user, task):
        raise PermissionDenied
    return task


def _errors_to_messages(request, error: ValidationError):
    for message in error.messages:
        messages.error(request, message)


@signed_in
@require_POST
def report_create(request, task_id):
    task = _task_for(request, task_id)
    try:
        progress.file_report(
            task,
            request.user,
            text=request.POST.get("text", ""),
            completion=request.POST.get("completion", ProgressReport.Completion.IN_PROGRESS),
            product=request.POST.get("product", ""),
            files=request.FILES.getlist("files"),
            links=request.POST.get("links", "").split(),
        )
        messages.success(request, _("Progress report filed."))
    except ValidationError as error:
        _errors_to_messages(request, error)
    return redirect("task-detail", task.pk)


@signed_in
@require_POST
def report_review(request, report_id):
    report = get_object_or_404(ProgressReport, pk=report_id)
    try:
        progress.review_completion(
            report,
            request.user,
            confirm=request.POST.get("decision") == "confirm",
            comment=request.POST.get("comment", ""),
        )
    except ValidationError as error:
        _errors_to_messages(request, error)
    return redirect("task-detail", report.task_id)


@signed_in
@require_POST
def extension_create(request, task_id):
    task = _task_for(request, task_id)
    try:
        new_deadline = datetime.date.fromisoformat(request.POST.get("new_deadline", ""))
    except ValueError:
        messages.error(request, _("Write the new deadline as a date (YYYY-MM-DD)."))
        return redirect("task-detail", task.pk)
    try:
        progress.request_extension(
            task, request.user, new_deadline=new_deadline, reason=request.POST.get("reason", "")
        )
        messages.success(request, _("Extension requested."))
    except ValidationError as error:
        _errors_to_messages(request, error)
    return redirect("task-detail", task.pk)


@signed_in
@require_POST
def extension_decide(request, extension_id):
    extension = get_object_or_404(DeadlineExtension, pk=extension_id)
    try:
        progress.decide_extension(extension, request.user, approve=request.POST.get("decision") == "approve")
    except ValidationError as error:
        _errors_to_messages(request, error)
    return redirect("task-detail", extension.task_id)


@signed_in
def evidence_file(request, evidence_id):
    evidence = get_object_or_404(Evidence.objects.select_related("report__task"), pk=evidence_id)
    # Another agency's evidence is "not found": its existence is not the caller's business.
    if not policy.view_task(request.user, evidence.report.task) or not evidence.file:
        raise Http404
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
