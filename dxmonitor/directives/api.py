"""Documents in the API; the same schemas serialise the JSON twins of the document pages."""

import datetime

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from dxmonitor.directives.models import Document

router = Router(tags=["documents"])


class DocumentOut(Schema):
    id: int
    kind: str
    number: str
    title: str
    date: datetime.date | None
    issuer: str
    signer: str
    state: str
    is_sample: bool
    session: str | None = Field(None, alias="session.title")


class DocumentDetailOut(DocumentOut):
    text: str


@router.get("/documents", response=list[DocumentOut], summary="Notices and reports, newest first")
@paginate(LimitOffsetPagination)
def list_documents(request):
    return Document.objects.select_related("session")


@router.get("/documents/{document_id}", response=DocumentDetailOut, summary="One document with its text")
def get_document(request, document_id: int):
    return get_object_or_404(Document.objects.select_related("session"), pk=document_id)


class TaskAgencyOut(Schema):
    code: str = Field(alias="agency.code")
    name: str = Field(alias="agency.name")
    role: str


class TaskOut(Schema):
    id: int
    document_id: int
    clause: str
    group: str
    text: str
    deadline: datetime.date | None
    deadline_as_of: datetime.date | None = None
    deadline_text: str
    original_deadline: datetime.date | None
    recurrence: str
    completed_on: datetime.date | None
    status: str | None = None
    agencies: list[TaskAgencyOut] = Field(alias="assignments")

    @staticmethod
    def resolve_agencies(task):
        return list(task.assignments.all())


class EvidenceOut(Schema):
    id: int
    original_name: str
    content_type: str
    size: int
    url: str


class ReportOut(Schema):
    id: int
    agency: str = Field(alias="agency.code")
    text: str
    completion: str
    product: str
    reported_on: datetime.date
    review: str
    review_comment: str
    evidence: list[EvidenceOut]

    @staticmethod
    def resolve_evidence(report):
        return list(report.evidence.all())


class ExtensionOut(Schema):
    id: int
    agency: str = Field(alias="agency.code")
    old_deadline: datetime.date | None
    new_deadline: datetime.date
    reason: str
    state: str
    decided_on: datetime.date | None


def task_data(task) -> dict:
    return TaskOut.from_orm(task).model_dump(mode="json")


def report_data(report) -> dict:
    return ReportOut.from_orm(report).model_dump(mode="json")


def extension_data(extension) -> dict:
    return ExtensionOut.from_orm(extension).model_dump(mode="json")


class ScorecardOut(Schema):
    total: int
    completed_on_time: int
    completed_late: int
    in_progress: int
    overdue: int
    recurring: int
    stale: int
    on_time_rate: float | None
    average_delay_days: float | None


def _filters(request, params):
    from dxmonitor.directives.services import TaskFilter

    return TaskFilter.from_params(params)


@router.get(
    "/tasks", response=list[TaskOut], summary="Tasks as of a date; an agency's token sees its own only"
)
@paginate(LimitOffsetPagination)
def list_tasks(
    request,
    agency: str = "",
    role: str = "",
    status: str = "",
    document: str = "",
    session: str = "",
    deadline_from: str = "",
    deadline_to: str = "",
    q: str = "",
    as_of: str = "",
    sort: str = "",
    collectives: str = "",
):
    from dxmonitor.directives.services import task_list

    params = {k: v for k, v in locals().items() if k != "request"}
    return task_list(request.auth, _filters(request, params)).prefetch_related("assignments__agency")


@router.get("/tasks/{task_id}", response=TaskOut, summary="One task with its status today")
def get_task(request, task_id: int):
    from dxmonitor.accounts import policy
    from dxmonitor.directives.models import Task
    from dxmonitor.directives.queries import with_status

    task = get_object_or_404(Task, pk=task_id)
    if not policy.view_task(request.auth, task):
        raise PermissionDenied
    return with_status(Task.objects.filter(pk=task_id), timezone.localdate()).get()


@router.get(
    "/scorecard", response=ScorecardOut, summary="The four statuses counted for the same filters as /tasks"
)
def get_scorecard(
    request,
    agency: str = "",
    role: str = "",
    document: str = "",
    session: str = "",
    deadline_from: str = "",
    deadline_to: str = "",
    q: str = "",
    as_of: str = "",
    collectives: str = "",
):
    from dxmonitor.directives.scorecards import scorecard

    params = {k: v for k, v in locals().items() if k != "request"}
    return scorecard(request.auth, _filters(request, params)).as_dict()


class RankingRowOut(Schema):
    code: str
    name: str
    kind: str
    total: int
    completed_on_time: int
    completed_late: int
    in_progress: int
    overdue: int
    recurring: int
    on_time_rate: float | None


@router.get(
    "/ranking", response=list[RankingRowOut], summary="Lead agencies ranked by on-time rate (leaders)"
)
def get_ranking(request, as_of: str = "", document: str = "", session: str = "", q: str = ""):
    from dxmonitor.accounts import policy
    from dxmonitor.directives.scorecards import ranking

    if not policy.sees_everything(request.auth):
        raise PermissionDenied
    params = {k: v for k, v in locals().items() if k not in ("request", "policy", "ranking")}
    return ranking(request.auth, _filters(request, params))


class ReportIn(Schema):
    text: str
    completion: str = "in_progress"
    product: str = ""
    links: list[str] = []


@router.post(
    "/tasks/{task_id}/reports",
    response={201: ReportOut},
    summary="File a progress report (links as evidence)",
)
def post_report(request, task_id: int, payload: ReportIn):
    from dxmonitor.directives import progress
    from dxmonitor.directives.models import Task

    task = get_object_or_404(Task, pk=task_id)
    report = progress.file_report(
        task,
        request.auth,
        text=payload.text,
        completion=payload.completion,
        product=payload.product,
        links=payload.links,
    )
    return Status(201, report)


class ReviewIn(Schema):
    confirm: bool
    comment: str = ""


@router.post(
    "/reports/{report_id}/review", response=ReportOut, summary="Confirm or return a completion (secretariat)"
)
def post_review(request, report_id: int, payload: ReviewIn):
    from dxmonitor.directives import progress
    from dxmonitor.directives.models import ProgressReport

    report = get_object_or_404(ProgressReport, pk=report_id)
    return progress.review_completion(report, request.auth, confirm=payload.confirm, comment=payload.comment)


class ExtensionIn(Schema):
    new_deadline: datetime.date
    reason: str


@router.post(
    "/tasks/{task_id}/extensions", response={201: ExtensionOut}, summary="Ask for a later deadline (lead)"
)
def post_extension(request, task_id: int, payload: ExtensionIn):
    from dxmonitor.directives import progress
    from dxmonitor.directives.models import Task

    task = get_object_or_404(Task, pk=task_id)
    extension = progress.request_extension(
        task, request.auth, new_deadline=payload.new_deadline, reason=payload.reason
    )
    return Status(201, extension)


class DecisionIn(Schema):
    approve: bool


@router.post(
    "/extensions/{extension_id}/decide", response=ExtensionOut, summary="Approve or reject (secretariat)"
)
def post_decision(request, extension_id: int, payload: DecisionIn):
    from dxmonitor.directives import progress
    from dxmonitor.directives.models import DeadlineExtension

    extension = get_object_or_404(DeadlineExtension, pk=extension_id)
    return progress.decide_extension(extension, request.auth, approve=payload.approve)
